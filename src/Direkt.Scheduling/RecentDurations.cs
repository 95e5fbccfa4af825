namespace Direkt.Scheduling;

/// <summary>
/// The last <c>capacity</c> durations with the time each was recorded, for percentiles of recent work (/stats): a fixed ring,
/// so memory stays bounded whatever the load; samples older than the window no longer count.
/// </summary>
public sealed class RecentDurations
{
    private readonly TimeProvider _time;
    private readonly (long At, double Milliseconds)[] _ring;
    private readonly long _window;
    private readonly object _lock = new();
    private int _next;
    private int _count;

    public RecentDurations(int capacity, TimeSpan window, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time ?? TimeProvider.System;
        _ring = new (long, double)[capacity];
        _window = (long)(window.TotalSeconds * _time.TimestampFrequency);
        Capacity = capacity;
        Window = window;
    }

    public int Capacity { get; }
    public TimeSpan Window { get; }

    public void Record(TimeSpan duration)
    {
        var at = _time.GetTimestamp();
        lock (_lock)
        {
            _ring[_next] = (at, duration.TotalMilliseconds);
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    /// <summary>The samples within the window, ascending (a copy: callers sort and read it without the lock).</summary>
    public double[] Snapshot()
    {
        var oldest = _time.GetTimestamp() - _window;
        List<double> recent;
        lock (_lock)
        {
            recent = new List<double>(_count);
            for (var i = 0; i < _count; i++)
                if (_ring[i].At >= oldest) recent.Add(_ring[i].Milliseconds);
        }
        recent.Sort();
        return recent.ToArray();
    }

    /// <summary>
    /// The nearest-rank percentile (<paramref name="fraction"/> 0–1) of ascending <paramref name="sorted"/> samples: the
    /// smallest sample that at least that share of samples does not exceed; null without samples.
    /// </summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        if (sorted.Count == 0) return null;
        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Max(rank, 1) - 1];
    }
}
