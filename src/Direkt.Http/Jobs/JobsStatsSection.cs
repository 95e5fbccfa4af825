using Direkt.Http.Observability;
using Direkt.Storage.Records.Jobs;

namespace Direkt.Http.Jobs;

/// <summary>
/// "jobs" in /stats: one entry per queued or running background job, with the fields of GET /jobs/{id} that say how far it
/// is (no paths: /stats is open like /metrics). Read from the records at most once a second however often /stats is polled;
/// while the records cannot be read, the last list stays.
/// </summary>
internal sealed class JobsStatsSection(IJobRecords records, TimeProvider time) : IStatsSection
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private const int MaxEntries = 50;

    private readonly CachedReading _reading = new(CacheFor, time, beforeAnyRead: Array.Empty<object>());

    public string Name => "jobs";

    public ValueTask<object?> ReadAsync(CancellationToken cancellationToken) => _reading.GetAsync(async token =>
    {
        var running = await records.ListJobsAsync(new JobListing(JobStates.Running, MaxEntries, null), token);
        var queued = await records.ListJobsAsync(new JobListing(JobStates.Queued, MaxEntries, null), token);
        var now = time.GetUtcNow();
        return running.Jobs.Concat(queued.Jobs).Select(j => Entry(j, now)).ToList();
    }, cancellationToken);

    private static object Entry(StoredJob job, DateTimeOffset now)
    {
        var (rate, eta) = JobRepresentation.Progress(job, now);
        return new
        {
            id = job.Id, kind = job.Kind, state = job.State, total = job.Total, done = job.Done, skipped = job.Skipped, failed = job.Failed,
            ratePerSecond = rate, etaSeconds = eta,
        };
    }
}
