using Direkt.Assets;
using Direkt.Storage;

namespace Direkt;

/// <summary>Runs the variant-expiry reaper every few seconds, so a variant goes within a minute of expiring.</summary>
public sealed class VariantExpiryService(VariantExpiry expiry, ILogger<VariantExpiryService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!expiry.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var removed = 0;
            try
            {
                removed = await expiry.RunOnceAsync(stoppingToken);
            }
            catch (StorageUnavailableException e)
            {
                logger.LogWarning("Variant expiry cannot run right now: {Reason}", e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            if (removed < VariantExpiry.BatchSize)
            {
                try { await Task.Delay(Interval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
