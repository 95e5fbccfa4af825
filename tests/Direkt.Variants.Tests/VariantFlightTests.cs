using Direkt.Storage.Records;

namespace Direkt.Variants.Tests;

/// <summary>The collapsing flight of one variant, step by step without threads: who shares, who abandons, who discards.</summary>
public sealed class VariantFlightTests
{
    private static readonly VariantRecord Made = new()
    {
        IsOriginalVariant = false, Transformation = "w=10&format=webp", StoreBucket = "assets", StoreKey = "variants/x.webp",
        Attributes = new VariantAttributes(10, 10, "webp", 1, 0, "srgb", 42), CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public async Task Every_client_that_joins_shares_the_one_generation()
    {
        var flight = new VariantFlight(eager: false);
        var generation = new TaskCompletionSource<VariantRecord>();
        var runs = 0;
        flight.Join().Should().BeTrue();
        flight.Start(() => { runs++; return generation.Task; });
        flight.Start(() => { runs++; return generation.Task; }); // a second start is ignored
        flight.Join().Should().BeTrue();
        flight.Join().Should().BeTrue();

        generation.SetResult(Made);

        runs.Should().Be(1);
        (await flight.Result).Should().BeSameAs(Made);
        flight.Abandoned.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public void On_demand_work_is_abandoned_when_its_last_client_leaves_before_it_completes_and_nobody_joins_it_afterwards()
    {
        var flight = new VariantFlight(eager: false);
        flight.Join();
        flight.Join();
        flight.Start(() => new TaskCompletionSource<VariantRecord>().Task);

        flight.Leave();
        flight.Abandoned.IsCancellationRequested.Should().BeFalse("one client still waits");
        flight.Leave();

        flight.Abandoned.IsCancellationRequested.Should().BeTrue();
        flight.Join().Should().BeFalse("a new client starts afresh instead of joining cancelled work");
    }

    [Fact]
    public async Task Finished_work_is_not_abandoned_when_its_clients_leave()
    {
        var flight = new VariantFlight(eager: false);
        flight.Join();
        flight.Start(() => Task.FromResult(Made));
        await flight.Result;

        flight.Leave();

        flight.Abandoned.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public void Eager_work_that_has_not_started_is_discarded_and_then_never_starts()
    {
        var flight = new VariantFlight(eager: true);

        flight.TryDiscard().Should().BeTrue();

        flight.MarkStarted().Should().BeFalse();
        flight.Abandoned.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public void Running_eager_work_is_joined_not_discarded_and_outlives_its_clients()
    {
        var flight = new VariantFlight(eager: true);
        flight.MarkStarted().Should().BeTrue();

        flight.TryDiscard().Should().BeFalse();
        flight.Join().Should().BeTrue();
        flight.Leave();

        flight.Abandoned.IsCancellationRequested.Should().BeFalse("eager work is worth finishing without anyone waiting");
    }
}
