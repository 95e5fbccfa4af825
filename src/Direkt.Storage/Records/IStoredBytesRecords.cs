namespace Direkt.Storage.Records;

/// <summary>What the records say is stored, per bucket (/stats).</summary>
public interface IStoredBytesRecords
{
    /// <summary>
    /// Per bucket, the objects that variant records (originals and generated variants) point at and their recorded bytes, in
    /// bucket order. One aggregate over the records: cheaper than listing the store, and it counts what Direkt serves (objects
    /// waiting in the deletion outbox and orphans are not counted).
    /// </summary>
    Task<IReadOnlyList<BucketUsage>> StoredBytesByBucketAsync(CancellationToken cancellationToken);
}

/// <summary>Objects and bytes stored in one bucket.</summary>
public sealed record BucketUsage(string Bucket, long Objects, long Bytes);
