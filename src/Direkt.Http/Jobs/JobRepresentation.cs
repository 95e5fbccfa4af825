using Direkt.Storage.Records.Jobs;

namespace Direkt.Http.Jobs;

/// <summary>A job as /jobs answers it (docs/api.md, "Background jobs"): progress, rate and ETA computed at read time.</summary>
internal static class JobRepresentation
{
    /// <summary>
    /// Items per second since the job first started (over its whole life, restarts included) and the seconds left at that rate;
    /// null before there is a rate. A finished job has 0 left.
    /// </summary>
    public static (double? Rate, double? Eta) Progress(StoredJob job, DateTimeOffset now)
    {
        var processed = job.Done + job.Skipped + job.Failed;
        var elapsed = job.StartedAt is { } started ? ((job.FinishedAt ?? now) - started).TotalSeconds : 0;
        double? rate = elapsed > 0 ? Math.Round(processed / elapsed, 2) : null;
        double? eta = JobStates.IsFinished(job.State) ? 0
            : rate is > 0 ? Math.Round(Math.Max(0, job.Total - processed) / rate.Value, 1) : null;
        return (rate, eta);
    }

    public static object Of(StoredJob job, DateTimeOffset now)
    {
        var (rate, eta) = Progress(job, now);
        return new
        {
            id = job.Id, kind = job.Kind, state = job.State, path = job.Path, profiles = job.Profiles, transformations = job.Transformations,
            dryRun = job.DryRun, total = job.Total, done = job.Done, skipped = job.Skipped, failed = job.Failed,
            purgedVariants = job.PurgedVariants, purgedBytes = job.PurgedBytes,
            errors = job.Errors.Select(e => new { path = e.Path, entryId = e.EntryId, transformation = e.Transformation, problem = e.Problem }),
            createdAt = job.CreatedAt, startedAt = job.StartedAt, finishedAt = job.FinishedAt, ratePerSecond = rate, etaSeconds = eta,
            owner = JobStates.IsFinished(job.State) ? null : job.Owner,
        };
    }
}
