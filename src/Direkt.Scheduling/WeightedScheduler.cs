using System.Threading.Channels;

namespace Direkt.Scheduling;

/// <summary>
/// Two bounded queues and a weighted draw with work stealing (the design card's scheduler). A free worker prefers the
/// synchronous queue with probability <see cref="SynchronousPriority"/> %, else the asynchronous one; when its preferred
/// queue is empty it takes from the other at once; when both are empty it waits for either without spinning. So an idle
/// asynchronous backlog uses every worker, a synchronous burst gets about the configured share of pulls, and with a weight
/// below 100 neither queue starves. Generic over the job type: it knows nothing about images.
/// </summary>
internal sealed class WeightedScheduler<TJob>
{
    private readonly Channel<TJob> _synchronous;
    private readonly Channel<TJob> _asynchronous;
    private readonly IRandomSource _random;
    private int _synchronousPriority;

    public WeightedScheduler(int queueSize, int synchronousPriority, IRandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queueSize, 1);
        QueueSize = queueSize;
        SynchronousPriority = synchronousPriority;
        _random = random ?? new SystemRandomSource();
        var options = new BoundedChannelOptions(queueSize) { FullMode = BoundedChannelFullMode.Wait, SingleReader = false, SingleWriter = false };
        _synchronous = Channel.CreateBounded<TJob>(options);
        _asynchronous = Channel.CreateBounded<TJob>(options);
    }

    public int QueueSize { get; }

    /// <summary>0–100: the share of draws that prefer the synchronous queue. Can change while running (hot reload).</summary>
    public int SynchronousPriority
    {
        get => Volatile.Read(ref _synchronousPriority);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 0);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 100);
            Volatile.Write(ref _synchronousPriority, value);
        }
    }

    public int Count(JobQueue queue) => QueueOf(queue).Reader.Count;

    /// <summary>
    /// Queues synchronous work, waiting at most <paramref name="wait"/> for a free place. False when the queue stayed full
    /// (the caller answers 503) or the scheduler no longer takes work.
    /// </summary>
    public async ValueTask<bool> EnqueueSynchronousAsync(TJob job, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_synchronous.Writer.TryWrite(job)) return true;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            await _synchronous.Writer.WriteAsync(job, timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>Queues asynchronous work without ever waiting: false (the job is dropped) when the queue is full.</summary>
    public bool TryEnqueueAsynchronous(TJob job) => _asynchronous.Writer.TryWrite(job);

    /// <summary>
    /// Queues asynchronous work that must not be dropped (background job items): waits for a free place instead. False when
    /// the scheduler no longer takes work.
    /// </summary>
    public async ValueTask<bool> EnqueueAsynchronousAsync(TJob job, CancellationToken cancellationToken)
    {
        try
        {
            await _asynchronous.Writer.WriteAsync(job, cancellationToken);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>The next job by the weighted draw; waits while both queues are empty. Ends when <see cref="Complete"/> was called and both are drained.</summary>
    public async ValueTask<ScheduledJob<TJob>?> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryDequeue(out var scheduled)) return scheduled;
            // Both queues complete together (Complete()), and a completed queue only reports completion once drained.
            if (_synchronous.Reader.Completion.IsCompleted && _asynchronous.Reader.Completion.IsCompleted) return null;
            await Task.WhenAny(
                _synchronous.Reader.WaitToReadAsync(cancellationToken).AsTask(),
                _asynchronous.Reader.WaitToReadAsync(cancellationToken).AsTask());
        }
    }

    /// <summary>One weighted draw without waiting.</summary>
    public bool TryDequeue(out ScheduledJob<TJob> scheduled)
    {
        var preferred = _random.NextPercent() < SynchronousPriority ? JobQueue.Synchronous : JobQueue.Asynchronous;
        var other = preferred == JobQueue.Synchronous ? JobQueue.Asynchronous : JobQueue.Synchronous;
        if (QueueOf(preferred).Reader.TryRead(out var job))
        {
            scheduled = new ScheduledJob<TJob>(job, preferred, Stolen: false);
            return true;
        }
        if (QueueOf(other).Reader.TryRead(out job))
        {
            scheduled = new ScheduledJob<TJob>(job, other, Stolen: true);
            return true;
        }
        scheduled = default;
        return false;
    }

    /// <summary>Takes every queued job of one queue out (e.g. eager work dropped at shutdown).</summary>
    public IReadOnlyList<TJob> Drain(JobQueue queue)
    {
        var drained = new List<TJob>();
        while (QueueOf(queue).Reader.TryRead(out var job)) drained.Add(job);
        return drained;
    }

    /// <summary>Stops taking new work; queued work can still be dequeued.</summary>
    public void Complete()
    {
        _synchronous.Writer.TryComplete();
        _asynchronous.Writer.TryComplete();
    }

    private Channel<TJob> QueueOf(JobQueue queue) => queue == JobQueue.Synchronous ? _synchronous : _asynchronous;
}
