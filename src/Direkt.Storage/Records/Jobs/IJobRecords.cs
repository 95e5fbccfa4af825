namespace Direkt.Storage.Records.Jobs;

/// <summary>
/// Background jobs and their progress. Exactly one instance works a job at a time: it claims the job with a lease
/// (owner + lease-until) and renews it with each saved progress; another instance takes the job over only once the lease
/// has expired.
/// </summary>
public interface IJobRecords
{
    /// <summary>Stores a new job (state queued).</summary>
    Task CreateJobAsync(StoredJob job, CancellationToken cancellationToken);

    /// <summary>The job, or null.</summary>
    Task<StoredJob?> GetJobAsync(string id, CancellationToken cancellationToken);

    /// <summary>Jobs newest first, paged, with the counts per state.</summary>
    Task<JobPage> ListJobsAsync(JobListing listing, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the oldest job that is queued, or running under an expired lease (its instance stopped or died): it becomes
    /// running under <paramref name="owner"/> until <paramref name="leaseUntil"/>. Null when there is none.
    /// </summary>
    Task<StoredJob?> ClaimJobAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Saves progress (state, counts, errors, cursor, finish time) and renews the lease, only while <paramref name="job"/>'s
    /// owner still holds it. A cancelled job stays cancelled. Returns the state now stored, or null when the lease was lost.
    /// </summary>
    Task<string?> SaveJobAsync(StoredJob job, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Cancels a queued or running job (a finished one stays as it is); returns the job, or null when unknown.</summary>
    Task<StoredJob?> CancelJobAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes jobs that finished before <paramref name="finishedBefore"/>; returns how many.</summary>
    Task<int> RemoveFinishedJobsAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken);
}

/// <summary>The assets a job walks through, in a stable order, page by page.</summary>
public interface IAssetPages
{
    /// <summary>How many assets the scope holds, with their generated variants.</summary>
    Task<AssetTally> TallyAsync(AssetScope scope, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> assets of the scope strictly after <paramref name="after"/> in (path, entryId) order, with all variants.</summary>
    Task<IReadOnlyList<AssetRecord>> PageAsync(AssetScope scope, AssetPosition? after, int max, CancellationToken cancellationToken);
}
