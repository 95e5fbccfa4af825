using Direkt.Storage.Objects;

namespace Direkt.Storage.Observation;

/// <summary>
/// The object store with every operation timed and reported. It passes local files and presigned URLs through to the
/// store it wraps, so reading in place (filesystem) and redirects (S3) work as without it.
/// </summary>
internal sealed class ObservedObjectStore : IObjectStore, ILocalObjectFiles, IPresignedObjectUrls
{
    private readonly IObjectStore _inner;
    private readonly IStorageOperationSink _put, _get, _getRange, _getLength, _delete, _list, _check;

    public ObservedObjectStore(IObjectStore inner, IStorageObserver observer, string store)
    {
        _inner = inner;
        (_put, _get, _getRange, _getLength) = (observer.Operation(store, "put"), observer.Operation(store, "get"),
            observer.Operation(store, "get_range"), observer.Operation(store, "get_length"));
        (_delete, _list, _check) = (observer.Operation(store, "delete"), observer.Operation(store, "list"), observer.Operation(store, "check"));
    }

    public Task<long> PutAsync(string bucket, string key, Stream content, string contentType, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_put, () => _inner.PutAsync(bucket, key, content, contentType, cancellationToken));

    public Task<StoredObject?> GetAsync(string bucket, string key, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_get, () => _inner.GetAsync(bucket, key, cancellationToken), o => o is null);

    public Task<StoredObject?> GetRangeAsync(string bucket, string key, long offset, long length, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_getRange, () => _inner.GetRangeAsync(bucket, key, offset, length, cancellationToken), o => o is null);

    public Task<long?> GetLengthAsync(string bucket, string key, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_getLength, () => _inner.GetLengthAsync(bucket, key, cancellationToken), l => l is null);

    public Task<bool> DeleteAsync(string bucket, string key, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_delete, () => _inner.DeleteAsync(bucket, key, cancellationToken), deleted => !deleted);

    public IAsyncEnumerable<string> ListKeysAsync(string bucket, string prefix, CancellationToken cancellationToken) =>
        ObservedCall.ListAsync(_list, _inner.ListKeysAsync(bucket, prefix, cancellationToken), cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_check, () => _inner.CheckHealthAsync(cancellationToken));

    public string? LocalPath(string bucket, string key) => (_inner as ILocalObjectFiles)?.LocalPath(bucket, key);

    public Uri PresignGet(string bucket, string key, TimeSpan validFor) =>
        _inner is IPresignedObjectUrls presigned ? presigned.PresignGet(bucket, key, validFor)
            : throw new InvalidOperationException("this object store cannot presign URLs");
}
