using System.Globalization;
using Direkt.Assets;
using Direkt.Variants;

namespace Direkt.Http.Assets;

/// <summary>
/// The Server-Timing value (W3C Server Timing) of a content answer: `hit;dur=…` (finding the stored variant), for the request that
/// generated it `queue;dur=…, render;dur=…, store;dur=…` (waiting for a worker; reading, admission and rendering; writing the
/// object and the record), and `collapsed;dur=…` for a request that waited on an identical generation. Durations in ms.
/// </summary>
internal static class ServerTimingHeader
{
    public const string Name = "Server-Timing";

    public static string Value(VariantAnswer answer, TimeSpan elapsed) => answer switch
    {
        { Timings: { } t } => $"queue;desc=\"queue wait\";dur={Ms(t.QueueWait)}, render;desc=\"decode+render\";dur={Ms(t.Render)}, "
                              + $"store;desc=\"store write\";dur={Ms(t.Store)}",
        { Outcome: CacheOutcome.Collapsed } => $"collapsed;dur={Ms(elapsed)}",
        { Outcome: CacheOutcome.Miss } => $"miss;dur={Ms(elapsed)}",
        _ => "hit;dur=" + Ms(elapsed),
    };

    private static string Ms(TimeSpan duration) => duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);
}
