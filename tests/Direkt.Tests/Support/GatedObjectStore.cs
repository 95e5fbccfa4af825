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

    public void HoldVariantWrites() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    public void ReleaseVariantWrites() => _gate.TrySetResult();

    public async Task<long> PutAsync(string bucket, string key, Stream content, string contentType, CancellationToken ct)
    {
        if (key.StartsWith("variants/", StringComparison.Ordinal)) await _gate.Task.WaitAsync(ct);
        return await inner.PutAsync(bucket, key, content, contentType, ct);
    }

    public Task<StoredObject?> GetAsync(string bucket, string key, CancellationToken ct) => inner.GetAsync(bucket, key, ct);
    public Task<long?> GetLengthAsync(string bucket, string key, CancellationToken ct) => inner.GetLengthAsync(bucket, key, ct);
    public Task<bool> DeleteAsync(string bucket, string key, CancellationToken ct) => inner.DeleteAsync(bucket, key, ct);
    public IAsyncEnumerable<string> ListKeysAsync(string bucket, string prefix, CancellationToken ct) => inner.ListKeysAsync(bucket, prefix, ct);
    public Task CheckHealthAsync(CancellationToken ct) => inner.CheckHealthAsync(ct);
}
