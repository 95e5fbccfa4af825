using Direkt.Http.Observability;
using Direkt.Storage;
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

    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private object? _value;
    private long _readAt;

    public string Name => "jobs";

    public async ValueTask<object?> ReadAsync(CancellationToken cancellationToken)
    {
        if (Fresh()) return Volatile.Read(ref _value);
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            if (Fresh()) return _value;
            try
            {
                var running = await records.ListJobsAsync(new JobListing(JobStates.Running, MaxEntries, null), cancellationToken);
                var queued = await records.ListJobsAsync(new JobListing(JobStates.Queued, MaxEntries, null), cancellationToken);
                var now = time.GetUtcNow();
                Volatile.Write(ref _value, running.Jobs.Concat(queued.Jobs).Select(j => Entry(j, now)).ToList());
            }
            catch (StorageUnavailableException)
            {
                _value ??= Array.Empty<object>();
            }
            Interlocked.Exchange(ref _readAt, time.GetUtcNow().UtcTicks);
            return _value;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private static object Entry(StoredJob job, DateTimeOffset now)
    {
        var (rate, eta) = JobRepresentation.Progress(job, now);
        return new
        {
            id = job.Id, kind = job.Kind, state = job.State, total = job.Total, done = job.Done, skipped = job.Skipped, failed = job.Failed,
            ratePerSecond = rate, etaSeconds = eta,
        };
    }

    private bool Fresh() => time.GetUtcNow().UtcTicks - Interlocked.Read(ref _readAt) < CacheFor.Ticks;
}
