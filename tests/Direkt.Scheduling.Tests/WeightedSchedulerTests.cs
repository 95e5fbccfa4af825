namespace Direkt.Scheduling.Tests;

public sealed class WeightedSchedulerTests
{
    private static WeightedScheduler<int> Scheduler(int weight, int queueSize = 20_000, int seed = 1) =>
        new(queueSize, weight, new SystemRandomSource(new Random(seed)));

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(80)]
    [InlineData(99)]
    public void With_both_queues_saturated_the_synchronous_share_matches_the_weight(int weight)
    {
        var scheduler = Scheduler(weight);
        for (var i = 0; i < 10_000; i++)
        {
            scheduler.EnqueueSynchronousAsync(i, TimeSpan.Zero, default).AsTask().Result.Should().BeTrue();
            scheduler.TryEnqueueAsynchronous(i).Should().BeTrue();
        }

        var synchronous = 0;
        for (var pull = 0; pull < 10_000; pull++)
        {
            scheduler.TryDequeue(out var job).Should().BeTrue();
            job.Stolen.Should().BeFalse("both queues still hold work");
            if (job.Queue == JobQueue.Synchronous) synchronous++;
        }

        (synchronous / 100.0).Should().BeApproximately(weight, 3);
    }

    [Fact]
    public void An_empty_preferred_queue_never_idles_a_worker()
    {
        var onlyAsynchronous = Scheduler(99);
        var onlySynchronous = Scheduler(1);
        for (var i = 0; i < 100; i++)
        {
            onlyAsynchronous.TryEnqueueAsynchronous(i);
            onlySynchronous.EnqueueSynchronousAsync(i, TimeSpan.Zero, default).AsTask().Wait();
        }

        for (var i = 0; i < 100; i++)
        {
            onlyAsynchronous.TryDequeue(out var a).Should().BeTrue();
            a.Queue.Should().Be(JobQueue.Asynchronous);
            onlySynchronous.TryDequeue(out var s).Should().BeTrue();
            s.Queue.Should().Be(JobQueue.Synchronous);
        }
        onlyAsynchronous.TryDequeue(out _).Should().BeFalse();
    }

    [Fact]
    public void Stolen_pulls_are_marked()
    {
        var scheduler = Scheduler(100);
        scheduler.TryEnqueueAsynchronous(7);

        scheduler.TryDequeue(out var job).Should().BeTrue();

        job.Should().Be(new ScheduledJob<int>(7, JobQueue.Asynchronous, Stolen: true));
    }

    [Theory]
    [InlineData(80)]
    [InlineData(99)]
    public void The_asynchronous_queue_progresses_under_continuous_synchronous_load(int weight)
    {
        var scheduler = Scheduler(weight, queueSize: 100);
        for (var i = 0; i < 50; i++) scheduler.TryEnqueueAsynchronous(i);

        var asynchronousDone = 0;
        for (var pull = 0; pull < 20_000 && asynchronousDone < 50; pull++)
        {
            // Keep the synchronous queue full: every pull is followed by a new synchronous job.
            while (scheduler.Count(JobQueue.Synchronous) < 100) scheduler.EnqueueSynchronousAsync(pull, TimeSpan.Zero, default).AsTask().Wait();
            scheduler.TryDequeue(out var job);
            if (job.Queue == JobQueue.Asynchronous) asynchronousDone++;
        }

        asynchronousDone.Should().Be(50);
    }

    [Fact]
    public void With_weight_100_the_asynchronous_queue_waits_for_idle_moments()
    {
        var scheduler = Scheduler(100, queueSize: 10);
        scheduler.TryEnqueueAsynchronous(1);
        for (var i = 0; i < 10; i++) scheduler.EnqueueSynchronousAsync(i, TimeSpan.Zero, default).AsTask().Wait();

        var order = new List<JobQueue>();
        while (scheduler.TryDequeue(out var job)) order.Add(job.Queue);

        order.Should().Equal(Enumerable.Repeat(JobQueue.Synchronous, 10).Append(JobQueue.Asynchronous));
    }

    [Fact]
    public async Task A_full_synchronous_queue_refuses_after_the_wait()
    {
        var scheduler = Scheduler(80, queueSize: 2);
        (await scheduler.EnqueueSynchronousAsync(1, TimeSpan.Zero, default)).Should().BeTrue();
        (await scheduler.EnqueueSynchronousAsync(2, TimeSpan.Zero, default)).Should().BeTrue();

        (await scheduler.EnqueueSynchronousAsync(3, TimeSpan.FromMilliseconds(20), default)).Should().BeFalse();
        scheduler.Count(JobQueue.Synchronous).Should().Be(2);
    }

    [Fact]
    public async Task A_waiting_synchronous_job_gets_the_place_a_dequeue_frees()
    {
        var scheduler = Scheduler(80, queueSize: 1);
        await scheduler.EnqueueSynchronousAsync(1, TimeSpan.Zero, default);

        var waiting = scheduler.EnqueueSynchronousAsync(2, TimeSpan.FromMinutes(1), default).AsTask();
        waiting.IsCompleted.Should().BeFalse();
        scheduler.TryDequeue(out var first).Should().BeTrue();

        (await waiting).Should().BeTrue();
        first.Job.Should().Be(1);
        scheduler.TryDequeue(out var second).Should().BeTrue();
        second.Job.Should().Be(2);
    }

    [Fact]
    public void A_full_asynchronous_queue_drops_instead_of_blocking()
    {
        var scheduler = Scheduler(80, queueSize: 2);

        scheduler.TryEnqueueAsynchronous(1).Should().BeTrue();
        scheduler.TryEnqueueAsynchronous(2).Should().BeTrue();
        scheduler.TryEnqueueAsynchronous(3).Should().BeFalse();
    }

    [Fact]
    public async Task A_waiting_worker_wakes_for_either_queue()
    {
        var scheduler = Scheduler(80);
        var forSynchronous = scheduler.DequeueAsync(default).AsTask();
        var forAsynchronous = scheduler.DequeueAsync(default).AsTask();
        forSynchronous.IsCompleted.Should().BeFalse();

        await scheduler.EnqueueSynchronousAsync(1, TimeSpan.Zero, default);
        scheduler.TryEnqueueAsynchronous(2);

        var jobs = await Task.WhenAll(forSynchronous, forAsynchronous);
        jobs.Select(j => j!.Value.Job).Should().BeEquivalentTo([1, 2]);
    }

    [Fact]
    public async Task After_completion_queued_work_drains_and_then_dequeue_ends()
    {
        var scheduler = Scheduler(80);
        await scheduler.EnqueueSynchronousAsync(1, TimeSpan.Zero, default);
        scheduler.TryEnqueueAsynchronous(2);
        scheduler.Complete();

        (await scheduler.EnqueueSynchronousAsync(3, TimeSpan.Zero, default)).Should().BeFalse();
        scheduler.TryEnqueueAsynchronous(4).Should().BeFalse();
        scheduler.Drain(JobQueue.Asynchronous).Should().Equal(2);
        (await scheduler.DequeueAsync(default))!.Value.Job.Should().Be(1);
        (await scheduler.DequeueAsync(default)).Should().BeNull();
    }

    [Fact]
    public async Task A_cancelled_wait_ends_with_cancellation()
    {
        var scheduler = Scheduler(80);
        using var cancellation = new CancellationTokenSource();
        var waiting = scheduler.DequeueAsync(cancellation.Token).AsTask();

        cancellation.Cancel();

        await waiting.Invoking(w => w).Should().ThrowAsync<OperationCanceledException>();
    }
}
