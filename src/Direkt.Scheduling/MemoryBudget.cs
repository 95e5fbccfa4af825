namespace Direkt.Scheduling;

/// <summary>
/// Memory-aware admission: running jobs together may hold at most <see cref="Capacity"/> bytes of estimated decode memory.
/// A job waits (in arrival order) until its estimate fits; a job that alone exceeds the capacity can never run and is refused.
/// </summary>
public sealed class MemoryBudget(long capacity)
{
    private readonly object _lock = new();
    private readonly LinkedList<(long Bytes, TaskCompletionSource Ready)> _waiting = new();
    private long _used;

    public long Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));
    public long Used { get { lock (_lock) return _used; } }

    public bool Fits(long bytes) => bytes <= Capacity;

    /// <summary>Waits until <paramref name="bytes"/> fit beside the running jobs; dispose the result when the job ends.</summary>
    public async Task<IDisposable> AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        if (!Fits(bytes)) throw new InsufficientMemoryBudgetException(bytes, Capacity);
        TaskCompletionSource ready;
        LinkedListNode<(long, TaskCompletionSource)> node;
        lock (_lock)
        {
            if (_waiting.Count == 0 && _used + bytes <= Capacity)
            {
                _used += bytes;
                return new Lease(this, bytes);
            }
            ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiting.AddLast((bytes, ready));
        }
        try
        {
            await ready.Task.WaitAsync(cancellationToken);
            return new Lease(this, bytes);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                if (node.List is not null) _waiting.Remove(node);
                else _used -= bytes; // granted just as we gave up
                Grant();
            }
            throw;
        }
    }

    private void Release(long bytes)
    {
        lock (_lock)
        {
            _used -= bytes;
            Grant();
        }
    }

    // First come, first served: a large job at the head is not overtaken forever by small ones.
    private void Grant()
    {
        while (_waiting.First is { } first && _used + first.Value.Bytes <= Capacity)
        {
            _waiting.RemoveFirst();
            _used += first.Value.Bytes;
            first.Value.Ready.TrySetResult();
        }
    }

    private sealed class Lease(MemoryBudget budget, long bytes) : IDisposable
    {
        private int _released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) budget.Release(bytes);
        }
    }

    /// <summary>The budget's capacity from variant-generation.memory-budget; 0 means half of the memory this process may use (cgroup limit respected).</summary>
    public static long DefaultCapacity => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;
}

/// <summary>A job whose estimated memory alone exceeds the whole budget (HTTP 413).</summary>
public sealed class InsufficientMemoryBudgetException(long needed, long capacity)
    : Exception($"Decoding this image needs about {needed / 1_000_000} MB, more than the memory budget of {capacity / 1_000_000} MB.")
{
    public long Needed { get; } = needed;
    public long Capacity { get; } = capacity;
}
