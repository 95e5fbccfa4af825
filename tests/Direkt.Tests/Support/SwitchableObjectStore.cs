using Direkt.Storage;
using Direkt.Storage.Objects;

namespace Direkt.Tests.Support;

/// <summary>Fault injection: a real filesystem store that can be switched to fail like an unreachable store.</summary>
public sealed class SwitchableObjectStore(IObjectStore inner) : IObjectStore
{
    public volatile bool Down;

    private void ThrowIfDown()
    {
        if (Down) throw new StorageUnavailableException("object store unreachable (injected)", new IOException("injected"));
    }

    public Task<long> PutAsync(string bucket, string key, Stream content, string contentType, CancellationToken ct)
    {
        ThrowIfDown();
        return inner.PutAsync(bucket, key, content, contentType, ct);
    }

    public Task<StoredObject?> GetAsync(string bucket, string key, CancellationToken ct)
    {
        ThrowIfDown();
        return inner.GetAsync(bucket, key, ct);
    }

    public Task<StoredObject?> GetRangeAsync(string bucket, string key, long offset, long length, CancellationToken ct)
    {
        ThrowIfDown();
        return inner.GetRangeAsync(bucket, key, offset, length, ct);
    }

    public Task<long?> GetLengthAsync(string bucket, string key, CancellationToken ct)
    {
        ThrowIfDown();
        return inner.GetLengthAsync(bucket, key, ct);
    }

    public Task<bool> DeleteAsync(string bucket, string key, CancellationToken ct)
    {
        ThrowIfDown();
        return inner.DeleteAsync(bucket, key, ct);
    }

    public IAsyncEnumerable<string> ListKeysAsync(string bucket, string prefix, CancellationToken ct)
    {
        ThrowIfDown();
        return inner.ListKeysAsync(bucket, prefix, ct);
    }

    public Task CheckHealthAsync(CancellationToken ct)
    {
        ThrowIfDown();
        return inner.CheckHealthAsync(ct);
    }
}
