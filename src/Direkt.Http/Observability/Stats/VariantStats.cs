using Direkt.Imaging.Rendering;
using Direkt.Scheduling;
using Direkt.Variants;

namespace Direkt.Http.Observability.Stats;

/// <summary>
/// "generations": variants generated since start, per second over the last 10 s, and the p50/p99 generation time (ms) of the
/// last 1 024 generations within the last minute (null when there were none).
/// </summary>
internal sealed class GenerationStats(VariantCounters counters) : IStatsSection
{
    public string Name => "generations";

    public ValueTask<object?> ReadAsync(CancellationToken cancellationToken)
    {
        var times = counters.GenerationTimes.Snapshot();
        return ValueTask.FromResult<object?>(new
        {
            total = counters.Generated,
            perSecond = QueuesStats.Round(counters.GenerationRate.PerSecond()),
            p50Ms = Milliseconds(RecentDurations.Percentile(times, 0.50)),
            p99Ms = Milliseconds(RecentDurations.Percentile(times, 0.99)),
        });
    }

    private static double? Milliseconds(double? value) => value is { } v ? Math.Round(v, 1) : null;
}

/// <summary>
/// "cache": variant requests since start answered from the store (hits), that started a generation (misses) or joined one
/// already running (collapsed); hitRatio = hits / all three (null before the first variant request); and "memory", the hit
/// cache (`hit-cache`): bytes and objects kept, its limit, and reads of keepable variants from memory and from the store; and
/// "decoded", the decoded originals (`decode-cache`): bytes and originals kept, its limit, and renders from memory and from files.
/// </summary>
internal sealed class CacheStats(VariantCounters counters, HotVariantCache kept, DecodedOriginals decoded) : IStatsSection
{
    public string Name => "cache";

    public ValueTask<object?> ReadAsync(CancellationToken cancellationToken)
    {
        long hits = counters.Hits, misses = counters.Misses, collapsed = counters.Collapsed;
        var all = hits + misses + collapsed;
        return ValueTask.FromResult<object?>(new
        {
            hits, misses, collapsed,
            hitRatio = all == 0 ? (double?)null : Math.Round((double)hits / all, 4),
            memory = new { bytes = kept.Bytes, objects = kept.Count, limitBytes = kept.Capacity, readsFromMemory = kept.Found, readsFromStore = kept.Missed },
            decoded = new
            {
                bytes = decoded.Bytes, objects = decoded.Count, limitBytes = decoded.Capacity,
                rendersFromMemory = decoded.RendersFromMemory, rendersFromFile = decoded.RendersFromFile,
            },
        });
    }
}
