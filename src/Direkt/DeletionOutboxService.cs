using Direkt.Storage;
using Direkt.Storage.Outbox;

namespace Direkt;

/// <summary>Runs the deletion outbox in the background: often while it has work, every few seconds when idle or the store is down.</summary>
public sealed class DeletionOutboxService(DeletionOutbox outbox, ILogger<DeletionOutboxService> logger) : BackgroundService
{
    public static readonly TimeSpan IdleInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var removed = 0;
            try
            {
                removed = await outbox.RunOnceAsync(stoppingToken);
            }
            catch (StorageUnavailableException e)
            {
                logger.LogWarning("The deletion outbox cannot be read right now: {Reason}", e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            if (removed < DeletionOutbox.BatchSize)
            {
                try { await Task.Delay(IdleInterval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
