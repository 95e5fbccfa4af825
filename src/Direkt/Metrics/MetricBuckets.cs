namespace Direkt.Metrics;

/// <summary>Histogram bucket bounds, in seconds.</summary>
internal static class MetricBuckets
{
    /// <summary>Image work: milliseconds to a minute.</summary>
    public static readonly double[] Work = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Requests and store calls: a hit takes well under a millisecond, a generation seconds.</summary>
    public static readonly double[] Fast = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
}
