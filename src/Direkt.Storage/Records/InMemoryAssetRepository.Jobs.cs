using Direkt.Storage.Records.Jobs;

namespace Direkt.Storage.Records;

/// <summary>Background jobs in process memory, under the repository's one lock (same contract as the SQL repository).</summary>
public sealed partial class InMemoryAssetRepository
{
    private readonly Dictionary<string, StoredJob> _jobs = new(StringComparer.Ordinal);

    public Task CreateJobAsync(StoredJob job, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_jobs.TryAdd(job.Id, job with { CreatedAt = Truncate(job.CreatedAt) }))
                throw new InvalidOperationException($"job {job.Id} exists");
        }
        return Task.CompletedTask;
    }

    public Task<StoredJob?> GetJobAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_jobs.GetValueOrDefault(id));
    }

    public Task<JobPage> ListJobsAsync(JobListing listing, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var jobs = _jobs.Values.Where(j => listing.State is null || j.State == listing.State)
                .Where(j => listing.After is null || string.CompareOrdinal(j.Id, listing.After) < 0)
                .OrderByDescending(j => j.Id, StringComparer.Ordinal).Take(listing.Limit).ToList();
            var counts = JobStates.All.ToDictionary(s => s, s => (long)_jobs.Values.Count(j => j.State == s));
            return Task.FromResult(new JobPage(jobs, counts));
        }
    }

    public Task<StoredJob?> ClaimJobAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var job = _jobs.Values.Where(j => j.State is JobStates.Queued or JobStates.Running && (j.LeaseUntil is null || j.LeaseUntil < now))
                .OrderBy(j => j.Id, StringComparer.Ordinal).FirstOrDefault();
            if (job is null) return Task.FromResult<StoredJob?>(null);
            var claimed = job with
            {
                Owner = owner, LeaseUntil = Truncate(leaseUntil), State = JobStates.Running, StartedAt = job.StartedAt ?? Truncate(now),
            };
            _jobs[job.Id] = claimed;
            return Task.FromResult<StoredJob?>(claimed);
        }
    }

    public Task<string?> SaveJobAsync(StoredJob job, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_jobs.TryGetValue(job.Id, out var stored) || stored.Owner != job.Owner) return Task.FromResult<string?>(null);
            var cancelled = stored.State == JobStates.Cancelled;
            _jobs[job.Id] = stored with
            {
                State = cancelled ? stored.State : job.State,
                Total = job.Total, Done = job.Done, Skipped = job.Skipped, Failed = job.Failed,
                PurgedVariants = job.PurgedVariants, PurgedBytes = job.PurgedBytes, Errors = job.Errors.ToList(), Cursor = job.Cursor,
                LeaseUntil = Truncate(leaseUntil),
                FinishedAt = cancelled ? stored.FinishedAt : job.FinishedAt is { } f ? Truncate(f) : null,
            };
            return Task.FromResult<string?>(_jobs[job.Id].State);
        }
    }

    public Task<StoredJob?> CancelJobAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_jobs.TryGetValue(id, out var job)) return Task.FromResult<StoredJob?>(null);
            if (!JobStates.IsFinished(job.State)) _jobs[id] = job = job with { State = JobStates.Cancelled, FinishedAt = Truncate(now) };
            return Task.FromResult<StoredJob?>(job);
        }
    }

    public Task<int> RemoveFinishedJobsAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var old = _jobs.Values.Where(j => JobStates.IsFinished(j.State) && j.FinishedAt < finishedBefore).Select(j => j.Id).ToList();
            foreach (var id in old) _jobs.Remove(id);
            return Task.FromResult(old.Count);
        }
    }

    public Task<AssetTally> TallyAsync(AssetScope scope, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var assets = InScope(scope).ToList();
            var generated = assets.SelectMany(a => a.Variants.Where(v => !v.IsOriginalVariant)).ToList();
            return Task.FromResult(new AssetTally(assets.Count, generated.Count, generated.Sum(v => v.Attributes.Bytes)));
        }
    }

    public Task<IReadOnlyList<AssetRecord>> PageAsync(AssetScope scope, AssetPosition? after, int max, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<AssetRecord> page = InScope(scope)
                .Where(a => after is null || string.CompareOrdinal(a.Path, after.Path) > 0 || (a.Path == after.Path && a.EntryId > after.EntryId))
                .OrderBy(a => a.Path, StringComparer.Ordinal).ThenBy(a => a.EntryId).Take(max).ToList();
            return Task.FromResult(page);
        }
    }

    private IEnumerable<AssetRecord> InScope(AssetScope scope) =>
        _assets.Values.Where(a => scope.Below ? AssetChangeRules.Covers(scope.Path, a.Path) : a.Path == scope.Path);
}
