using Direkt.Storage.Records;
using Direkt.Storage.Records.Jobs;

namespace Direkt.Storage.Observation;

/// <summary>The record store with every operation timed and reported (operation names follow the members).</summary>
internal sealed class ObservedRecordStore : IRecordStore
{
    private readonly IRecordStore _inner;
    private readonly IStorageOperationSink _create, _get, _find, _findVariant, _addVariant, _update, _delete;
    private readonly IStorageOperationSink _takeDeletions, _completeDeletion, _retryDeletion, _countDeletions;
    private readonly IStorageOperationSink _recordUses, _findOldVariants, _deleteVariants, _findReferenced, _check;
    private readonly IStorageOperationSink _storedBytes, _createJob, _getJob, _listJobs, _claimJob, _saveJob, _cancelJob, _removeJobs;
    private readonly IStorageOperationSink _tallyAssets, _pageAssets;

    public ObservedRecordStore(IRecordStore inner, IStorageObserver observer, string store)
    {
        _inner = inner;
        IStorageOperationSink Sink(string operation) => observer.Operation(store, operation);
        (_create, _get, _find, _findVariant) = (Sink("create"), Sink("get"), Sink("find"), Sink("find_variant"));
        (_addVariant, _update, _delete) = (Sink("add_variant"), Sink("update"), Sink("delete"));
        (_takeDeletions, _completeDeletion, _retryDeletion, _countDeletions) =
            (Sink("take_deletions"), Sink("complete_deletion"), Sink("retry_deletion"), Sink("count_deletions"));
        (_recordUses, _findOldVariants, _deleteVariants) = (Sink("record_uses"), Sink("find_old_variants"), Sink("delete_variants"));
        (_findReferenced, _check) = (Sink("find_referenced"), Sink("check"));
        _storedBytes = Sink("stored_bytes");
        (_createJob, _getJob, _listJobs, _claimJob) = (Sink("create_job"), Sink("get_job"), Sink("list_jobs"), Sink("claim_job"));
        (_saveJob, _cancelJob, _removeJobs) = (Sink("save_job"), Sink("cancel_job"), Sink("remove_jobs"));
        (_tallyAssets, _pageAssets) = (Sink("tally_assets"), Sink("page_assets"));
    }

    public Task<AssetRecord> CreateAsync(NewAsset asset, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_create, () => _inner.CreateAsync(asset, cancellationToken));

    public Task<AssetRecord?> GetAsync(string path, long entryId, VariantScope variants, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_get, () => _inner.GetAsync(path, entryId, variants, cancellationToken), r => r is null);

    public Task<IReadOnlyList<AssetRecord>> FindAsync(AssetQuery query, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_find, () => _inner.FindAsync(query, cancellationToken));

    public Task<VariantRecord?> FindVariantAsync(string path, long entryId, string transformation, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_findVariant, () => _inner.FindVariantAsync(path, entryId, transformation, cancellationToken), v => v is null);

    public Task<VariantRecord?> AddVariantAsync(string path, long entryId, VariantRecord variant, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_addVariant, () => _inner.AddVariantAsync(path, entryId, variant, cancellationToken), v => v is null);

    public Task<AssetRecord?> UpdateAsync(string path, long entryId, AssetInformation information, DateTimeOffset now, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_update, () => _inner.UpdateAsync(path, entryId, information, now, cancellationToken), r => r is null);

    public Task<IReadOnlyList<AssetRecord>> DeleteAsync(AssetDeletion deletion, DateTimeOffset objectsDueAt, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_delete, () => _inner.DeleteAsync(deletion, objectsDueAt, cancellationToken));

    public Task<IReadOnlyList<OutboxEntry>> TakeDueDeletionsAsync(int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_takeDeletions, () => _inner.TakeDueDeletionsAsync(max, now, lease, cancellationToken));

    public Task CompleteDeletionAsync(long id, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_completeDeletion, () => _inner.CompleteDeletionAsync(id, cancellationToken));

    public Task RetryDeletionAsync(long id, DateTimeOffset notBefore, string error, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_retryDeletion, () => _inner.RetryDeletionAsync(id, notBefore, error, cancellationToken));

    public Task<long> CountDeletionsAsync(CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_countDeletions, () => _inner.CountDeletionsAsync(cancellationToken));

    public Task RecordUsesAsync(IReadOnlyCollection<VariantTouch> uses, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_recordUses, () => _inner.RecordUsesAsync(uses, cancellationToken));

    public Task<IReadOnlyList<VariantUse>> FindVariantsOlderThanAsync(DateTimeOffset createdBefore, DateTimeOffset usedBefore, VariantUse? after,
        int max, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_findOldVariants, () => _inner.FindVariantsOlderThanAsync(createdBefore, usedBefore, after, max, cancellationToken));

    public Task<int> DeleteVariantsAsync(IReadOnlyList<VariantUse> variants, DateTimeOffset objectsDueAt, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_deleteVariants, () => _inner.DeleteVariantsAsync(variants, objectsDueAt, cancellationToken));

    public Task<IReadOnlySet<string>> FindReferencedKeysAsync(string bucket, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_findReferenced, () => _inner.FindReferencedKeysAsync(bucket, keys, cancellationToken));

    public Task CheckHealthAsync(CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_check, () => _inner.CheckHealthAsync(cancellationToken));
    public Task<IReadOnlyList<BucketUsage>> StoredBytesByBucketAsync(CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_storedBytes, () => _inner.StoredBytesByBucketAsync(cancellationToken));

    public Task CreateJobAsync(StoredJob job, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_createJob, () => _inner.CreateJobAsync(job, cancellationToken));

    public Task<StoredJob?> GetJobAsync(string id, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_getJob, () => _inner.GetJobAsync(id, cancellationToken), j => j is null);

    public Task<JobPage> ListJobsAsync(JobListing listing, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_listJobs, () => _inner.ListJobsAsync(listing, cancellationToken));

    public Task<StoredJob?> ClaimJobAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_claimJob, () => _inner.ClaimJobAsync(owner, now, leaseUntil, cancellationToken), j => j is null);

    public Task<string?> SaveJobAsync(StoredJob job, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_saveJob, () => _inner.SaveJobAsync(job, leaseUntil, cancellationToken));

    public Task<StoredJob?> CancelJobAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_cancelJob, () => _inner.CancelJobAsync(id, now, cancellationToken), j => j is null);

    public Task<int> RemoveFinishedJobsAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_removeJobs, () => _inner.RemoveFinishedJobsAsync(finishedBefore, cancellationToken));

    public Task<AssetTally> TallyAsync(AssetScope scope, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_tallyAssets, () => _inner.TallyAsync(scope, cancellationToken));

    public Task<IReadOnlyList<AssetRecord>> PageAsync(AssetScope scope, AssetPosition? after, int max, CancellationToken cancellationToken) =>
        ObservedCall.RunAsync(_pageAssets, () => _inner.PageAsync(scope, after, max, cancellationToken));
}
