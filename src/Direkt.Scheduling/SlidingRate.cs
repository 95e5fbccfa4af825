namespace Direkt.Scheduling;

/// <summary>
/// Counts events and tells how many happened per second over the last <see cref="Window"/>: one slot per second of the
/// window (bounded memory, whatever the event rate), on the monotonic clock. Used for /stats throughput figures.
/// </summary>
public sealed class SlidingRate
{
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly long[] _counts;
    private readonly long[] _seconds;
    private readonly object _lock = new();
    private long _total;

    public SlidingRate(TimeSpan window, TimeProvider? time = null)
    {
        var slots = (int)Math.Ceiling(window.TotalSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 2, nameof(window));
        _time = time ?? TimeProvider.System;
        _origin = _time.GetTimestamp();
        _counts = new long[slots];
        _seconds = new long[slots];
        Array.Fill(_seconds, -1);
        Window = TimeSpan.FromSeconds(slots);
    }

    public TimeSpan Window { get; }

    /// <summary>Every event recorded since this counter was made.</summary>
    public long Total => Interlocked.Read(ref _total);

    public void Record(long count = 1)
    {
        var second = (long)Elapsed();
        var slot = (int)(second % _counts.Length);
        lock (_lock)
        {
            if (_seconds[slot] != second)
            {
                _seconds[slot] = second;
                _counts[slot] = 0;
            }
            _counts[slot] += count;
        }
        Interlocked.Add(ref _total, count);
    }

    /// <summary>
    /// Events per second over the window: the events of its whole seconds and of the current one, divided by the time they
    /// cover (at least one second, so a young counter does not report a burst as a huge rate).
    /// </summary>
    public double PerSecond()
    {
        var now = Elapsed();
        var second = (long)now;
        var oldest = second - _counts.Length + 1;
        long events = 0;
        lock (_lock)
        {
            for (var i = 0; i < _counts.Length; i++)
                if (_seconds[i] >= oldest && _seconds[i] <= second) events += _counts[i];
        }
        var covered = Math.Min(now, now - oldest);
        return events / Math.Max(1.0, covered);
    }

    private double Elapsed() => _time.GetElapsedTime(_origin).TotalSeconds;
}
