namespace Direkt.Storage.Objects;

/// <summary>
/// An object store whose buckets must exist beforehand (S3): a reload that names new buckets is checked against the store
/// before it takes effect, then the health check proves the new set.
/// </summary>
public interface IBucketSet
{
    /// <summary>Throws <see cref="StorageUnavailableException"/> naming the first bucket that does not exist or cannot be reached.</summary>
    Task CheckBucketsAsync(IEnumerable<string> buckets, CancellationToken cancellationToken);

    /// <summary>The buckets the health check proves from now on.</summary>
    void UseBuckets(IReadOnlyList<string> buckets);
}
