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

    /// <summary>The capacity for variant-generation.memory-budget = 0: half the memory limit (CONFIG.md).</summary>
    public static long DefaultCapacity => MemoryLimit() / 2;

    /// <summary>
    /// The container's memory limit (cgroup v2, then v1) when one is set, else the machine's memory. Not the GC's figure: in a
    /// container .NET reports its heap cap (75 % of the limit), while libvips allocates natively, outside that heap.
    /// </summary>
    public static long MemoryLimit()
    {
        foreach (var file in new[] { "/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes" })
        {
            try
            {
                // "max" (v2) or a value near long.MaxValue (v1) mean no limit.
                if (File.Exists(file) && long.TryParse(File.ReadAllText(file).Trim(), out var limit) && limit is > 0 and < 1L << 50)
                    return limit;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}

/// <summary>A job whose estimated memory alone exceeds the whole budget (HTTP 413).</summary>
public sealed class InsufficientMemoryBudgetException(long needed, long capacity)
    : Exception($"Decoding this image needs about {needed / 1_000_000} MB, more than the memory budget of {capacity / 1_000_000} MB.")
{
    public long Needed { get; } = needed;
    public long Capacity { get; } = capacity;
}
