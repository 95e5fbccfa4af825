namespace Direkt.Scheduling;

/// <summary>
/// A unit of work for the pool: a delegate, the token that says nobody needs it any more, and its completion. The pool
/// runs it under the job timeout; work nobody needs is skipped before it starts and cancelled while it runs.
/// </summary>
public sealed class WorkItem
{
    private readonly Func<CancellationToken, Task> _work;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WorkItem(string kind, Func<CancellationToken, Task> work, CancellationToken abandoned = default)
    {
        Kind = kind;
        _work = work;
        Abandoned = abandoned;
        EnqueuedAt = DateTimeOffset.UtcNow;
    }

    public string Kind { get; }
    public CancellationToken Abandoned { get; }
    public DateTimeOffset EnqueuedAt { get; }
    public Task Completion => _completion.Task;

    /// <summary>
    /// Runs the work (or skips it when abandoned). <paramref name="finished"/> is told the outcome before the waiting
    /// client sees the completion, so counters are up to date by the time anyone looks.
    /// </summary>
    internal async Task RunAsync(TimeSpan timeout, CancellationToken stopping, Action<JobOutcome> finished)
    {
        if (Abandoned.IsCancellationRequested)
        {
            finished(JobOutcome.Skipped);
            _completion.TrySetCanceled(Abandoned);
            return;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Abandoned, stopping);
        deadline.CancelAfter(timeout);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        Exception? failure = null;
        try
        {
            await _work(deadline.Token);
            // The deadline's timer may fire late on a busy machine, or the work may not have looked at the token after it
            // fired: work that ran past the timeout is a timeout all the same, so the limit holds whatever the timing.
            if (System.Diagnostics.Stopwatch.GetElapsedTime(started) > timeout && !Abandoned.IsCancellationRequested && !stopping.IsCancellationRequested)
                failure = new JobTimeoutException(timeout);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !Abandoned.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            failure = new JobTimeoutException(timeout);
        }
        catch (Exception e)
        {
            failure = e;
        }
        finished(failure is null ? JobOutcome.Completed : JobOutcome.Failed);
        switch (failure)
        {
            case null: _completion.TrySetResult(); break;
            case OperationCanceledException cancelled: _completion.TrySetCanceled(cancelled.CancellationToken); break;
            default: _completion.TrySetException(failure); break;
        }
    }

    internal void Refuse(Exception reason) => _completion.TrySetException(reason);
}

/// <summary>A job ran past variant-generation.job-timeout and was cancelled.</summary>
public sealed class JobTimeoutException(TimeSpan limit)
    : Exception($"The work took longer than {(limit.TotalSeconds >= 1 ? $"{limit.TotalSeconds:0.#} s" : $"{limit.TotalMilliseconds:0} ms")} (variant-generation.job-timeout) and was cancelled.")
{
    public TimeSpan Limit { get; } = limit;
}

/// <summary>The synchronous queue stayed full for enqueue-timeout, or the server is shutting down: answer 503.</summary>
public sealed class SchedulerOverloadedException(string message) : Exception(message);
