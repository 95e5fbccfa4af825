using Direkt.Storage;

namespace Direkt;

/// <summary>
/// A background loop over one unit of work: runs it again at once while it fills whole batches, else waits an interval.
/// A store outage is logged and waited out; stopping the host ends the loop.
/// </summary>
internal abstract class RepeatingWorkService(ILogger logger, TimeSpan interval, int batchSize) : BackgroundService
{
    /// <summary>Does one round; returns how many items it handled.</summary>
    protected abstract Task<int> RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether there is work to look for now; asked before every round, so a configuration reload that switches the work on
    /// (or off) takes effect within one interval, without a restart.
    /// </summary>
    protected virtual bool Enabled => true;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                if (Enabled) handled = await RunOnceAsync(stoppingToken);
            }
            catch (StorageUnavailableException e)
            {
                logger.LogWarning("{Work} cannot run right now: {Reason}", GetType().Name, e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            if (handled >= batchSize) continue;
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
