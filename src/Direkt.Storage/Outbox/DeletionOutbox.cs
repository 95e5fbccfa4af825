using Direkt.Storage.Objects;
using Direkt.Storage.Records;
using Microsoft.Extensions.Logging;

namespace Direkt.Storage.Outbox;

/// <summary>
/// Works the deletion outbox: removes the stored objects of deleted records, completing each entry only after the store
/// confirmed, and retrying failures with exponential back-off and jitter. Entries are taken under a lease, so a crash or a
/// second instance never loses or double-handles one for long; deleting an object that is already gone counts as done.
/// </summary>
public sealed class DeletionOutbox(IDeletionOutboxRecords repository, IObjectStore objects, TimeProvider time, ILogger<DeletionOutbox> logger)
{
    public const int BatchSize = 100;
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(15);

    /// <summary>Handles the entries due now; returns how many objects were removed (or found already gone).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var entries = await repository.TakeDueDeletionsAsync(BatchSize, time.GetUtcNow(), Lease, cancellationToken);
        var done = 0;
        foreach (var entry in entries)
        {
            try
            {
                await objects.DeleteAsync(entry.Bucket, entry.Key, cancellationToken);
            }
            catch (Exception e) when (e is StorageUnavailableException or IOException or TimeoutException)
            {
                var delay = Backoff(entry.Attempts + 1, Random.Shared.NextDouble());
                logger.LogWarning("Deleting {Bucket}/{Key} failed (attempt {Attempt}); retrying in {Delay}: {Reason}",
                    entry.Bucket, entry.Key, entry.Attempts + 1, delay, e.Message);
                await repository.RetryDeletionAsync(entry.Id, time.GetUtcNow() + delay, e.Message, cancellationToken);
                continue;
            }
            await repository.CompleteDeletionAsync(entry.Id, cancellationToken);
            done++;
        }
        if (done > 0) logger.LogInformation("Removed {Count} stored objects of deleted records", done);
        return done;
    }

    /// <summary>2^attempt seconds capped at <see cref="MaxBackoff"/>, scaled by a jitter factor in [0.5, 1.0).</summary>
    public static TimeSpan Backoff(int attempt, double random)
    {
        var seconds = Math.Min(Math.Pow(2, Math.Min(attempt, 20)), MaxBackoff.TotalSeconds);
        return TimeSpan.FromSeconds(seconds * (0.5 + random / 2));
    }
}
