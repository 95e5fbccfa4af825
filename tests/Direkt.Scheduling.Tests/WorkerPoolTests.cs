namespace Direkt.Scheduling.Tests;

public sealed class WorkerPoolTests
{
    private static WorkerPool Pool(int workers = 1, int queueSize = 10, TimeSpan? jobTimeout = null, TimeSpan? enqueueTimeout = null)
    {
        var pool = new WorkerPool(new WorkerPoolOptions
        {
            Workers = workers,
            QueueSize = queueSize,
            SynchronousPriority = 80,
            EnqueueTimeout = enqueueTimeout ?? TimeSpan.FromSeconds(5),
            JobTimeout = jobTimeout ?? TimeSpan.FromSeconds(30),
        }, new SystemRandomSource(new Random(3)));
        pool.Start();
        return pool;
    }

    private static WorkItem Gated(TaskCompletionSource started, Task gate, CancellationToken abandoned = default) =>
        new("test", async ct => { started.TrySetResult(); await gate.WaitAsync(ct); }, abandoned);

    private static TaskCompletionSource Signal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static async Task Eventually(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition()) await Task.Delay(5, timeout.Token);
    }

    [Fact]
    public async Task Synchronous_work_runs_and_completes()
    {
        await using var pool = Pool();
        var ran = 0;

        await pool.RunSynchronousAsync(new WorkItem("test", _ => { ran++; return Task.CompletedTask; }), default);

        ran.Should().Be(1);
        pool.Counters.Completed.Should().Be(1);
    }

    [Fact]
    public async Task A_failing_job_does_not_cost_a_worker()
    {
        await using var pool = Pool(workers: 1);

        var failing = () => pool.RunSynchronousAsync(new WorkItem("test", _ => throw new InvalidOperationException("boom")), default);
        await failing.Should().ThrowAsync<InvalidOperationException>().WithMessage("boom");
        await pool.RunSynchronousAsync(new WorkItem("test", _ => Task.CompletedTask), default);

        pool.Counters.Failed.Should().Be(1);
        pool.Counters.Completed.Should().Be(1);
    }

    [Fact]
    public async Task A_hung_job_is_cancelled_at_the_job_timeout_and_the_worker_goes_on()
    {
        await using var pool = Pool(workers: 1, jobTimeout: TimeSpan.FromMilliseconds(100));

        var hung = () => pool.RunSynchronousAsync(new WorkItem("test", ct => Task.Delay(Timeout.Infinite, ct)), default);
        await hung.Should().ThrowAsync<JobTimeoutException>();
        await pool.RunSynchronousAsync(new WorkItem("test", _ => Task.CompletedTask), default);
        pool.Counters.Completed.Should().Be(1);
    }

    [Fact]
    public async Task Work_that_ignores_its_token_and_runs_past_the_timeout_is_a_timeout_all_the_same()
    {
        await using var pool = Pool(workers: 1, jobTimeout: TimeSpan.FromMilliseconds(20));

        // Blocks without looking at the token, as a native decode that cannot be interrupted would.
        var late = () => pool.RunSynchronousAsync(new WorkItem("test", _ => { Thread.Sleep(200); return Task.CompletedTask; }), default);

        await late.Should().ThrowAsync<JobTimeoutException>();
        await pool.RunSynchronousAsync(new WorkItem("test", _ => Task.CompletedTask), default);
    }

    [Fact]
    public async Task Work_abandoned_before_it_starts_is_skipped()
    {
        await using var pool = Pool(workers: 1);
        var started = Signal();
        var gate = Signal();
        var blocker = pool.RunSynchronousAsync(Gated(started, gate.Task), default);
        await started.Task;

        using var abandoned = new CancellationTokenSource();
        var ran = false;
        var skipped = new WorkItem("test", _ => { ran = true; return Task.CompletedTask; }, abandoned.Token);
        var waiting = pool.RunSynchronousAsync(skipped, default);
        abandoned.Cancel();
        gate.SetResult();
        await blocker;

        await waiting.Invoking(w => w).Should().ThrowAsync<OperationCanceledException>();
        ran.Should().BeFalse();
        pool.Counters.Skipped.Should().Be(1);
    }

    [Fact]
    public async Task Work_abandoned_while_it_runs_is_cancelled()
    {
        await using var pool = Pool(workers: 1);
        using var abandoned = new CancellationTokenSource();
        var started = Signal();
        var running = pool.RunSynchronousAsync(new WorkItem("test", async ct => { started.SetResult(); await Task.Delay(Timeout.Infinite, ct); }, abandoned.Token), default);
        await started.Task;

        abandoned.Cancel();

        await running.Invoking(r => r).Should().ThrowAsync<OperationCanceledException>();
        await pool.RunSynchronousAsync(new WorkItem("test", _ => Task.CompletedTask), default);
    }

    [Fact]
    public async Task A_full_synchronous_queue_is_overload_after_the_enqueue_timeout()
    {
        await using var pool = Pool(workers: 1, queueSize: 1, enqueueTimeout: TimeSpan.FromMilliseconds(50));
        var started = Signal();
        var gate = Signal();
        var running = pool.RunSynchronousAsync(Gated(started, gate.Task), default);
        await started.Task;
        var queued = pool.RunSynchronousAsync(new WorkItem("test", _ => Task.CompletedTask), default);

        var overloaded = () => pool.RunSynchronousAsync(new WorkItem("test", _ => Task.CompletedTask), default);

        await overloaded.Should().ThrowAsync<SchedulerOverloadedException>().WithMessage("*busy*");
        gate.SetResult();
        await Task.WhenAll(running, queued);
    }

    [Fact]
    public async Task An_asynchronous_backlog_uses_every_worker_and_a_full_queue_drops()
    {
        await using var pool = Pool(workers: 2, queueSize: 3);
        var gate = Signal();
        var items = Enumerable.Range(0, 5).Select(_ => Gated(Signal(), gate.Task)).ToList();

        var accepted = items.Select(pool.TryQueueAsynchronous).ToList();
        await Eventually(() => pool.Busy == 2);

        accepted.Count(a => a).Should().BeInRange(3, 5); // 3 places, plus what the workers took in between
        pool.Counters.Dropped.Should().Be(accepted.Count(a => !a));
        gate.SetResult();
        await Task.WhenAll(items.Where((_, i) => accepted[i]).Select(i => i.Completion));
        pool.Counters.Stolen.Should().BeGreaterThan(0, "with an empty synchronous queue, asynchronous work is stolen");
    }

    [Fact]
    public async Task Stopping_drops_queued_eager_work_refuses_queued_synchronous_work_and_lets_running_work_finish()
    {
        var pool = Pool(workers: 1);
        var started = Signal();
        var gate = Signal();
        var running = pool.RunSynchronousAsync(Gated(started, gate.Task), default);
        await started.Task;
        var queuedSynchronous = pool.RunSynchronousAsync(new WorkItem("test", _ => Task.CompletedTask), default);
        pool.TryQueueAsynchronous(new WorkItem("eager", _ => Task.CompletedTask));
        pool.TryQueueAsynchronous(new WorkItem("eager", _ => Task.CompletedTask));

        var stopping = pool.StopAsync(TimeSpan.FromSeconds(30));
        gate.SetResult();

        (await stopping).Should().Be(2);
        await running;
        await queuedSynchronous.Invoking(q => q).Should().ThrowAsync<SchedulerOverloadedException>().WithMessage("*shutting down*");
        var late = () => pool.RunSynchronousAsync(new WorkItem("test", _ => Task.CompletedTask), default);
        await late.Should().ThrowAsync<SchedulerOverloadedException>();
    }
}
