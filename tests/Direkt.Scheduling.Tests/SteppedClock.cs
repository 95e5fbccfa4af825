namespace Direkt.Scheduling.Tests;

/// <summary>A monotonic clock the test moves by hand (timestamps in ticks of 100 ns).</summary>
internal sealed class SteppedClock : TimeProvider
{
    private long _ticks = TimeSpan.FromHours(1).Ticks;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() => Interlocked.Read(ref _ticks);
    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
