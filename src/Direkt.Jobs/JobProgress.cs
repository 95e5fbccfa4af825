using Direkt.Storage.Records.Jobs;

namespace Direkt.Jobs;

/// <summary>One asset's items once they have all finished: their outcomes, errors and what was purged.</summary>
internal sealed record AssetResult(AssetPosition Position, IReadOnlyList<JobItemOutcome> Outcomes, IReadOnlyList<JobError> Errors,
    long PurgedVariants, long PurgedBytes)
{
    /// <summary>Some item was withdrawn (cancel, shutdown past its grace, lease lost): the asset counts as not processed.</summary>
    public bool Incomplete { get; init; }
}

/// <summary>The running job's counts and cursor, applied asset by asset in the walk's order.</summary>
internal sealed class JobProgress(StoredJob job)
{
    private readonly object _lock = new();
    private StoredJob _job = job;

    public StoredJob Current
    {
        get { lock (_lock) return _job; }
    }

    public void SetTotal(long total)
    {
        lock (_lock) _job = _job with { Total = total };
    }

    public void Apply(AssetResult result)
    {
        lock (_lock)
        {
            _job = _job with
            {
                Done = _job.Done + result.Outcomes.Count(o => o == JobItemOutcome.Done),
                Skipped = _job.Skipped + result.Outcomes.Count(o => o == JobItemOutcome.Skipped),
                Failed = _job.Failed + result.Outcomes.Count(o => o == JobItemOutcome.Failed),
                PurgedVariants = _job.PurgedVariants + result.PurgedVariants,
                PurgedBytes = _job.PurgedBytes + result.PurgedBytes,
                Errors = _job.Errors.Count >= StoredJob.MaxErrors ? _job.Errors : [.. _job.Errors, .. result.Errors.Take(StoredJob.MaxErrors - _job.Errors.Count)],
                Cursor = result.Position,
            };
        }
    }

    public void Finish(string state, DateTimeOffset at)
    {
        lock (_lock) _job = _job with { State = state, FinishedAt = at };
    }
}
