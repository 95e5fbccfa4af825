namespace Direkt.Scheduling.Tests;

public sealed class MemoryBudgetTests
{
    [Fact]
    public async Task Jobs_start_only_while_their_estimates_fit_and_in_arrival_order()
    {
        var budget = new MemoryBudget(100);
        var first = await budget.AcquireAsync(60, default);

        var second = budget.AcquireAsync(50, default);   // does not fit beside the first
        var third = budget.AcquireAsync(10, default);    // would fit, but waits its turn behind the second
        second.IsCompleted.Should().BeFalse();
        third.IsCompleted.Should().BeFalse();
        budget.Used.Should().Be(60);

        first.Dispose();
        using var secondLease = await second;
        using var thirdLease = await third;
        budget.Used.Should().Be(60);
    }

    [Fact]
    public async Task A_job_larger_than_the_whole_budget_is_refused_at_once()
    {
        var budget = new MemoryBudget(100);

        var act = () => budget.AcquireAsync(101, default);

        (await act.Should().ThrowAsync<InsufficientMemoryBudgetException>()).Which.Needed.Should().Be(101);
        budget.Used.Should().Be(0);
    }

    [Fact]
    public async Task A_cancelled_wait_gives_its_place_up()
    {
        var budget = new MemoryBudget(100);
        var holder = await budget.AcquireAsync(90, default);
        using var cancellation = new CancellationTokenSource();
        var cancelled = budget.AcquireAsync(50, cancellation.Token);
        var next = budget.AcquireAsync(10, default);

        cancellation.Cancel();

        await cancelled.Invoking(c => c).Should().ThrowAsync<OperationCanceledException>();
        using var nextLease = await next; // no longer queued behind the cancelled one
        budget.Used.Should().Be(100);
        holder.Dispose();
        budget.Used.Should().Be(10);
    }

    [Fact]
    public async Task Releasing_twice_releases_once()
    {
        var budget = new MemoryBudget(100);
        var lease = await budget.AcquireAsync(40, default);

        lease.Dispose();
        lease.Dispose();

        budget.Used.Should().Be(0);
    }
}
