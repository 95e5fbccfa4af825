using Direkt.Storage.Objects;

namespace Direkt.Tests.Support;

/// <summary>Fault injection: holds writes of generated variants until released.</summary>
public sealed class GatedObjectStore(IObjectStore inner) : IObjectStore
{
    private TaskCompletionSource _gate = CompletedGate();

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    private Func<string, bool> _which = _ => true;
    private int _remaining = int.MaxValue;

    /// <summary>Holds writes of variants whose key matches (e.g. by extension), at most the first <paramref name="first"/> of them.</summary>
    public void HoldVariantWrites(Func<string, bool>? which = null, int first = int.MaxValue)
    {
        _which = which ?? (_ => true);
        _remaining = first;
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }
    public void ReleaseVariantWrites() => _gate.TrySetResult();

    /// <summary>How many variant writes are waiting at the gate now.</summary>
    public int HeldWrites => Volatile.Read(ref _held);
    private int _held;

    public async Task<long> PutAsync(string bucket, string key, Stream content, string contentType, CancellationToken ct)
    {
        if (key.Contains("variants/", StringComparison.Ordinal) && _which(key) && Interlocked.Decrement(ref _remaining) >= 0)
        {
            Interlocked.Increment(ref _held);
            try { await _gate.Task.WaitAsync(ct); }
            finally { Interlocked.Decrement(ref _held); }
        }
        return await inner.PutAsync(bucket, key, content, contentType, ct);
    }

    public Task<StoredObject?> GetAsync(string bucket, string key, CancellationToken ct) => inner.GetAsync(bucket, key, ct);
    public Task<StoredObject?> GetRangeAsync(string bucket, string key, long offset, long length, CancellationToken ct) =>
        inner.GetRangeAsync(bucket, key, offset, length, ct);
    public Task<long?> GetLengthAsync(string bucket, string key, CancellationToken ct) => inner.GetLengthAsync(bucket, key, ct);
    public Task<bool> DeleteAsync(string bucket, string key, CancellationToken ct) => inner.DeleteAsync(bucket, key, ct);
    public IAsyncEnumerable<string> ListKeysAsync(string bucket, string prefix, CancellationToken ct) => inner.ListKeysAsync(bucket, prefix, ct);
    public Task CheckHealthAsync(CancellationToken ct) => inner.CheckHealthAsync(ct);
}
