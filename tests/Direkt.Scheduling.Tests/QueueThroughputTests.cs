namespace Direkt.Scheduling.Tests;

public sealed class QueueThroughputTests
{
    [Fact]
    public async Task Completed_jobs_are_counted_per_queue_and_failures_are_not()
    {
        var clock = new SteppedClock();
        await using var pool = new WorkerPool(new WorkerPoolOptions
        {
            Workers = 2, QueueSize = 10, SynchronousPriority = 80,
            EnqueueTimeout = TimeSpan.FromSeconds(5), JobTimeout = TimeSpan.FromSeconds(30),
        });
        var throughput = new QueueThroughput(pool, clock);
        pool.Start();

        for (var i = 0; i < 3; i++) await pool.RunSynchronousAsync(new WorkItem("test", _ => Task.CompletedTask), default);
        var failing = () => pool.RunSynchronousAsync(new WorkItem("test", _ => throw new InvalidOperationException("boom")), default);
        await failing.Should().ThrowAsync<InvalidOperationException>();
        var eager = new WorkItem("test", _ => Task.CompletedTask);
        pool.TryQueueAsynchronous(eager).Should().BeTrue();
        await eager.Completion;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (pool.Counters.Completed + pool.Counters.Failed < 5) await Task.Delay(5, timeout.Token);
        while (throughput.Of(JobQueue.Asynchronous).Total < 1 || throughput.Of(JobQueue.Synchronous).Total < 3) await Task.Delay(5, timeout.Token);

        throughput.Of(JobQueue.Synchronous).Total.Should().Be(3);
        throughput.Of(JobQueue.Asynchronous).Total.Should().Be(1);
        throughput.Of(JobQueue.Synchronous).PerSecond().Should().Be(3, "all within the counter's first second");
    }
}
