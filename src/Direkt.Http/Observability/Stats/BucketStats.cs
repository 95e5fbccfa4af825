using Direkt.Storage.Records;

namespace Direkt.Http.Observability.Stats;

/// <summary>
/// "buckets": per bucket, the objects the records point at and their bytes — one aggregate query over the records
/// (<see cref="IStoredBytesRecords"/>), never a listing of the store, and cached for <see cref="CacheFor"/> so /stats stays cheap
/// when polled every second. While the records cannot be read it answers the last figures (null before any).
/// </summary>
internal sealed class BucketStats(IStoredBytesRecords records, TimeProvider time) : IStatsSection
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private readonly CachedReading _reading = new(CacheFor, time);

    public string Name => "buckets";

    public ValueTask<object?> ReadAsync(CancellationToken cancellationToken) => _reading.GetAsync(async token =>
    {
        var usage = await records.StoredBytesByBucketAsync(token);
        return usage.Select(u => new { name = u.Bucket, objects = u.Objects, storedBytes = u.Bytes }).ToList();
    }, cancellationToken);
}
