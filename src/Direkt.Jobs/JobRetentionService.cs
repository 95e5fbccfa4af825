using Direkt.Storage;
using Direkt.Storage.Records.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Direkt.Jobs;

/// <summary>Removes jobs that finished longer than jobs.retention ago, once a minute (and at start).</summary>
internal sealed class JobRetentionService(IJobRecords records, JobSettings settings, TimeProvider time, ILogger<JobRetentionService> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var removed = await records.RemoveFinishedJobsAsync(time.GetUtcNow() - settings.Retention, stoppingToken);
                if (removed > 0) logger.LogInformation("Removed {Count} jobs finished more than {Retention} ago", removed, settings.Retention);
            }
            catch (StorageUnavailableException e)
            {
                logger.LogWarning("Old jobs cannot be removed right now: {Reason}", e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            try { await Task.Delay(Interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
