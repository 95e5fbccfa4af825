namespace Direkt.Scheduling;

/// <summary>Settings of the pool (variant-generation in direkt.conf).</summary>
public sealed record WorkerPoolOptions
{
    public required int Workers { get; init; }
    public required int QueueSize { get; init; }
    public required int SynchronousPriority { get; init; }
    public required TimeSpan EnqueueTimeout { get; init; }
    public required TimeSpan JobTimeout { get; init; }

    /// <summary>2 × the CPUs this process may use (Environment.ProcessorCount honours the cgroup CPU quota).</summary>
    public static int DefaultWorkers => 2 * Environment.ProcessorCount;
}

/// <summary>How a job ended.</summary>
public enum JobOutcome { Completed, Failed, Skipped }

/// <summary>One finished job, for metrics: its kind, queue, time waiting in the queue and time running.</summary>
public readonly record struct JobRecord(string Kind, JobQueue Queue, bool Stolen, TimeSpan Waited, TimeSpan Ran, JobOutcome Outcome);

/// <summary>What the pool has done, for metrics and tests.</summary>
public sealed class WorkerPoolCounters
{
    private long _started, _completed, _failed, _dropped, _stolen, _skipped;
    public long Started => Interlocked.Read(ref _started);
    public long Completed => Interlocked.Read(ref _completed);
    public long Failed => Interlocked.Read(ref _failed);
    public long Dropped => Interlocked.Read(ref _dropped);
    public long Stolen => Interlocked.Read(ref _stolen);
    public long Skipped => Interlocked.Read(ref _skipped);
    internal void Start() => Interlocked.Increment(ref _started);
    internal void Complete() => Interlocked.Increment(ref _completed);
    internal void Fail() => Interlocked.Increment(ref _failed);
    internal void Drop(long count = 1) => Interlocked.Add(ref _dropped, count);
    internal void Steal() => Interlocked.Increment(ref _stolen);
    internal void Skip() => Interlocked.Increment(ref _skipped);
}

/// <summary>
/// The bounded pool of workers behind the weighted scheduler: the only place image work runs. Each worker takes the next
/// job by the weighted draw and runs it under the job timeout; a failed, hung or cancelled job never takes its worker along.
/// </summary>
public sealed class WorkerPool : IAsyncDisposable
{
    private readonly WeightedScheduler<WorkItem> _scheduler;
    private readonly WorkerPoolOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _workers = [];
    private int _busy;

    public WorkerPool(WorkerPoolOptions options, IRandomSource? random = null)
    {
        _options = options;
        _scheduler = new WeightedScheduler<WorkItem>(options.QueueSize, options.SynchronousPriority, random);
    }

    public WorkerPoolCounters Counters { get; } = new();

    /// <summary>Raised on the worker after every job (metrics); handlers must be quick and must not throw.</summary>
    public event Action<JobRecord>? JobFinished;
    public int Workers => _options.Workers;
    /// <summary>The places in each queue (queue-size).</summary>
    public int QueueSize => _options.QueueSize;
    public int Busy => Volatile.Read(ref _busy);
    public int Queued(JobQueue queue) => _scheduler.Count(queue);
    public bool Running => _workers.Count > 0 && !_stopping.IsCancellationRequested;

    /// <summary>Changes the weight while running (hot reload of synchronous-priority).</summary>
    public int SynchronousPriority { get => _scheduler.SynchronousPriority; set => _scheduler.SynchronousPriority = value; }

    public void Start()
    {
        for (var i = 0; i < _options.Workers; i++)
            _workers.Add(Task.Factory.StartNew(WorkAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap());
    }

    /// <summary>Runs synchronous work: waits at most enqueue-timeout for a place, then for the work itself.</summary>
    public async Task RunSynchronousAsync(WorkItem item, CancellationToken cancellationToken)
    {
        if (!await _scheduler.EnqueueSynchronousAsync(item, _options.EnqueueTimeout, cancellationToken))
            throw new SchedulerOverloadedException(_stopping.IsCancellationRequested
                ? "The server is shutting down."
                : $"The server is busy: the synchronous queue stayed full for {_options.EnqueueTimeout.TotalSeconds:0.#} s.");
        await item.Completion.WaitAsync(cancellationToken);
    }

    /// <summary>Queues best-effort work; false (and counted as dropped) when the asynchronous queue is full. Never waits.</summary>
    public bool TryQueueAsynchronous(WorkItem item)
    {
        if (_scheduler.TryEnqueueAsynchronous(item)) return true;
        Counters.Drop();
        return false;
    }

    /// <summary>
    /// Queues asynchronous work that is never dropped (background job items): waits for a place in the asynchronous queue as
    /// long as it takes. Throws <see cref="SchedulerOverloadedException"/> once the pool is stopping.
    /// </summary>
    public async Task QueueAsynchronousAsync(WorkItem item, CancellationToken cancellationToken)
    {
        if (!await _scheduler.EnqueueAsynchronousAsync(item, cancellationToken))
            throw new SchedulerOverloadedException("The server is shutting down.");
    }

    private async Task WorkAsync()
    {
        while (true)
        {
            ScheduledJob<WorkItem>? next;
            try
            {
                next = await _scheduler.DequeueAsync(CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (next is not { } scheduled) return;
            if (scheduled.Stolen) Counters.Steal();
            var item = scheduled.Job;
            var waited = DateTimeOffset.UtcNow - item.EnqueuedAt;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var running = !item.Abandoned.IsCancellationRequested;
            if (running)
            {
                Interlocked.Increment(ref _busy);
                Counters.Start();
            }
            await item.RunAsync(_options.JobTimeout, _stopping.Token, outcome =>
            {
                switch (outcome)
                {
                    case JobOutcome.Skipped: Counters.Skip(); break;
                    case JobOutcome.Completed: Counters.Complete(); break;
                    default: Counters.Fail(); break;
                }
                if (running) Interlocked.Decrement(ref _busy);
                JobFinished?.Invoke(new JobRecord(item.Kind, scheduled.Queue, scheduled.Stolen, waited,
                    running ? System.Diagnostics.Stopwatch.GetElapsedTime(started) : TimeSpan.Zero, outcome));
            });
        }
    }

    /// <summary>
    /// Graceful stop: no new work; queued asynchronous work is dropped (returned count), queued synchronous work is refused
    /// (its clients get 503), running work may finish within <paramref name="grace"/> and is cancelled after it.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        _scheduler.Complete();
        var dropped = _scheduler.Drain(JobQueue.Asynchronous);
        Counters.Drop(dropped.Count);
        foreach (var item in dropped) item.Refuse(new SchedulerOverloadedException("The server is shutting down."));
        foreach (var item in _scheduler.Drain(JobQueue.Synchronous)) item.Refuse(new SchedulerOverloadedException("The server is shutting down."));
        var all = Task.WhenAll(_workers);
        if (await Task.WhenAny(all, Task.Delay(grace)) != all) _stopping.Cancel();
        await all;
        return dropped.Count;
    }

    public async ValueTask DisposeAsync()
    {
        if (_workers.Count > 0 && !_stopping.IsCancellationRequested) await StopAsync(TimeSpan.Zero);
        _stopping.Dispose();
    }
}
