namespace Direkt.Scheduling.Tests;

public sealed class SlidingRateTests
{
    private readonly SteppedClock _clock = new();

    [Fact]
    public void A_steady_rate_reads_as_that_rate_once_the_window_is_full()
    {
        var rate = new SlidingRate(TimeSpan.FromSeconds(10), _clock);
        for (var second = 0; second < 30; second++)
        {
            rate.Record(4); // 4 events per second, early in each second
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        rate.Total.Should().Be(120);
        // 10 s window: the 9 whole seconds before this one hold 36 events over exactly 9 s.
        rate.PerSecond().Should().BeApproximately(4.0, 1e-9);
    }

    [Fact]
    public void Events_older_than_the_window_no_longer_count()
    {
        var rate = new SlidingRate(TimeSpan.FromSeconds(10), _clock);
        _clock.Advance(TimeSpan.FromSeconds(20));
        rate.Record(50);

        _clock.Advance(TimeSpan.FromSeconds(5));
        rate.PerSecond().Should().BeApproximately(50 / 9.0, 1e-9, "the window covers 9 s before this second plus none of it");

        _clock.Advance(TimeSpan.FromSeconds(10));
        rate.PerSecond().Should().Be(0);
        rate.Total.Should().Be(50, "the total is not windowed");
    }

    [Fact]
    public void A_slot_reused_after_a_full_turn_starts_from_zero()
    {
        var rate = new SlidingRate(TimeSpan.FromSeconds(4), _clock);
        rate.Record(100);
        _clock.Advance(TimeSpan.FromSeconds(4)); // same slot, four seconds later
        rate.Record(1);

        rate.PerSecond().Should().BeApproximately(1 / 3.0, 1e-9);
    }

    [Fact]
    public void A_young_counter_divides_by_at_least_one_second()
    {
        var rate = new SlidingRate(TimeSpan.FromSeconds(10), _clock);
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        rate.Record(3);

        rate.PerSecond().Should().Be(3);
        _clock.Advance(TimeSpan.FromSeconds(1.9));
        rate.PerSecond().Should().BeApproximately(1.5, 1e-9, "2 s since the counter started");
    }

    [Fact]
    public void Concurrent_records_are_all_counted()
    {
        var rate = new SlidingRate(TimeSpan.FromSeconds(10), _clock);
        Parallel.For(0, 10_000, _ => rate.Record());

        rate.Total.Should().Be(10_000);
        rate.PerSecond().Should().Be(10_000);
    }
}

public sealed class RecentDurationsTests
{
    private readonly SteppedClock _clock = new();

    [Theory]
    [InlineData(0.50, 50)]
    [InlineData(0.99, 99)]
    [InlineData(1.00, 100)]
    [InlineData(0.001, 1)]
    [InlineData(0.0, 1)]
    public void Percentiles_are_nearest_rank(double fraction, double expected)
    {
        var sorted = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

        RecentDurations.Percentile(sorted, fraction).Should().Be(expected);
    }

    [Fact]
    public void Percentiles_of_few_samples_and_of_none()
    {
        RecentDurations.Percentile([], 0.5).Should().BeNull();
        RecentDurations.Percentile([7], 0.99).Should().Be(7);
        RecentDurations.Percentile([10, 20, 30], 0.5).Should().Be(20);
        RecentDurations.Percentile([10, 20, 30], 0.99).Should().Be(30);
    }

    [Fact]
    public void Only_the_last_samples_are_kept_and_the_snapshot_is_sorted()
    {
        var durations = new RecentDurations(capacity: 5, TimeSpan.FromMinutes(1), _clock);
        foreach (var ms in new[] { 900, 800, 1, 50, 40, 30, 20, 10 }) durations.Record(TimeSpan.FromMilliseconds(ms));

        durations.Snapshot().Should().Equal(10, 20, 30, 40, 50);
    }

    [Fact]
    public void Samples_older_than_the_window_are_left_out()
    {
        var durations = new RecentDurations(capacity: 100, TimeSpan.FromSeconds(60), _clock);
        durations.Record(TimeSpan.FromMilliseconds(500));
        _clock.Advance(TimeSpan.FromSeconds(30));
        durations.Record(TimeSpan.FromMilliseconds(5));

        durations.Snapshot().Should().Equal(5, 500);
        _clock.Advance(TimeSpan.FromSeconds(31));
        durations.Snapshot().Should().Equal(5);
        _clock.Advance(TimeSpan.FromSeconds(30));
        durations.Snapshot().Should().BeEmpty();
    }
}
