using Direkt.Scheduling;
using Direkt.Storage;

namespace Direkt.Variants.Tests;

/// <summary>The negative cache of failed generations (issue 12): lasting failures fail fast for a while; passing troubles never.</summary>
public sealed class FailedVariantsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(T0);

    [Fact]
    public void A_lasting_failure_is_the_answer_until_its_time_lapses()
    {
        var failures = new FailedVariants(_clock, new FailedVariantsOptions { Ttl = TimeSpan.FromSeconds(60) });
        var timeout = new JobTimeoutException(TimeSpan.FromSeconds(30));

        failures.Remember("/a\n1\nw=10", timeout).Should().BeTrue();

        failures.Find("/a\n1\nw=10").Should().BeSameAs(timeout);
        failures.Find("/a\n1\nw=20").Should().BeNull("only that variant failed");
        _clock.Advance(TimeSpan.FromSeconds(59));
        failures.Find("/a\n1\nw=10").Should().BeSameAs(timeout);
        _clock.Advance(TimeSpan.FromSeconds(1));
        failures.Find("/a\n1\nw=10").Should().BeNull("60 s have passed: the next request tries again");
        failures.Count.Should().Be(0);
    }

    [Fact]
    public void Passing_troubles_are_never_remembered()
    {
        var failures = new FailedVariants(_clock);

        failures.Remember("k", new SchedulerOverloadedException("queue full")).Should().BeFalse();
        failures.Remember("k", new StorageUnavailableException("down", new IOException())).Should().BeFalse();
        failures.Remember("k", new OperationCanceledException()).Should().BeFalse();
        failures.Remember("k", new VariantSourceGoneException("deleted")).Should().BeFalse();

        failures.Find("k").Should().BeNull();
    }

    [Fact]
    public void A_full_table_remembers_nothing_new_until_entries_lapse()
    {
        var failures = new FailedVariants(_clock, new FailedVariantsOptions { Ttl = TimeSpan.FromSeconds(60), Capacity = 2 });
        failures.Remember("a", new InvalidDataException()).Should().BeTrue();
        failures.Remember("b", new InvalidDataException()).Should().BeTrue();

        failures.Remember("c", new InvalidDataException()).Should().BeFalse();
        failures.Count.Should().Be(2);

        _clock.Advance(TimeSpan.FromSeconds(61));
        failures.Remember("c", new InvalidDataException()).Should().BeTrue("the lapsed entries were swept");
        failures.Count.Should().Be(1);
    }
}
