using Direkt.Storage;
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

    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private object? _value;
    private long _readAt; // UTC ticks of the last read (0: never)

    public string Name => "buckets";

    public async ValueTask<object?> ReadAsync(CancellationToken cancellationToken)
    {
        if (Fresh()) return Volatile.Read(ref _value);
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            // Another request may have refreshed while this one waited.
            if (Fresh()) return _value;
            try
            {
                var usage = await records.StoredBytesByBucketAsync(cancellationToken);
                Volatile.Write(ref _value, usage.Select(u => new { name = u.Bucket, objects = u.Objects, storedBytes = u.Bytes }).ToList());
            }
            catch (StorageUnavailableException)
            {
                // The last figures stay; /ready tells that the records are down.
            }
            Interlocked.Exchange(ref _readAt, time.GetUtcNow().UtcTicks);
            return _value;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private bool Fresh() => time.GetUtcNow().UtcTicks - Interlocked.Read(ref _readAt) < CacheFor.Ticks;
}
