using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Direkt.Storage.Objects;

/// <summary>Objects in process memory, for tests and throw-away servers. An object is published only once fully read.</summary>
internal sealed class InMemoryObjectStore : IObjectStore
{
    private readonly ConcurrentDictionary<(string Bucket, string Key), byte[]> _objects = new();

    public async Task<long> PutAsync(string bucket, string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ObjectKeys.Validate(bucket, key);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        _objects[(bucket, key)] = buffer.ToArray();
        return buffer.Length;
    }

    public Task<StoredObject?> GetAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        ObjectKeys.Validate(bucket, key);
        return Task.FromResult(_objects.TryGetValue((bucket, key), out var bytes)
            ? new StoredObject(new MemoryStream(bytes, writable: false), bytes.Length)
            : null);
    }

    public Task<StoredObject?> GetRangeAsync(string bucket, string key, long offset, long length, CancellationToken cancellationToken)
    {
        ObjectKeys.Validate(bucket, key);
        if (!_objects.TryGetValue((bucket, key), out var bytes)) return Task.FromResult<StoredObject?>(null);
        var (start, count) = ObjectRanges.Clamp(offset, length, bytes.Length);
        return Task.FromResult<StoredObject?>(new StoredObject(new MemoryStream(bytes, (int)start, (int)count, writable: false), count));
    }

    public Task<long?> GetLengthAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        ObjectKeys.Validate(bucket, key);
        return Task.FromResult(_objects.TryGetValue((bucket, key), out var bytes) ? bytes.Length : (long?)null);
    }

    public Task<bool> DeleteAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        ObjectKeys.Validate(bucket, key);
        return Task.FromResult(_objects.TryRemove((bucket, key), out _));
    }

    public async IAsyncEnumerable<string> ListKeysAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectKeys.ValidateBucket(bucket);
        foreach (var (b, k) in _objects.Keys.OrderBy(k => k.Key, StringComparer.Ordinal))
            if (b == bucket && k.StartsWith(prefix, StringComparison.Ordinal)) yield return k;
        await Task.CompletedTask;
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
