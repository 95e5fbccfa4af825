using Direkt.Storage.Records;

namespace Direkt.Variants;

/// <summary>
/// One generation and the clients waiting for it (<see cref="VariantCache"/>): on-demand work is abandoned when its last client
/// leaves before it completes; eager work is discarded only before it starts, and joined once running.
/// </summary>
internal sealed class VariantFlight(bool eager)
{
    private readonly CancellationTokenSource _abandoned = new();
    private readonly TaskCompletionSource<Task<VariantRecord>> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiters;
    private bool _running;

    public bool Eager { get; } = eager;
    public CancellationToken Abandoned => _abandoned.Token;
    public Task<VariantRecord> Result => _started.Task.Unwrap();

    private int _startedOnce;

    /// <summary>Runs the generation once; a later call does nothing (only the client that created the flight starts it).</summary>
    public void Start(Func<Task<VariantRecord>> run)
    {
        if (Interlocked.Exchange(ref _startedOnce, 1) == 0) _started.TrySetResult(run());
    }

    /// <summary>Called by the eager work as it begins; false when it was discarded first.</summary>
    public bool MarkStarted()
    {
        lock (_abandoned)
        {
            if (_abandoned.IsCancellationRequested) return false;
            _running = true;
            return true;
        }
    }

    /// <summary>Discards eager work that has not started; false when it is already running (then join it).</summary>
    public bool TryDiscard()
    {
        lock (_abandoned)
        {
            if (_running) return false;
            _abandoned.Cancel();
            return true;
        }
    }

    public bool Join()
    {
        lock (_abandoned)
        {
            if (_abandoned.IsCancellationRequested) return false;
            _waiters++;
            return true;
        }
    }

    public void Leave()
    {
        lock (_abandoned)
        {
            // Eager work is worth finishing without anyone waiting; on-demand work is not.
            if (--_waiters == 0 && !Eager && !Result.IsCompleted) _abandoned.Cancel();
        }
    }
}
