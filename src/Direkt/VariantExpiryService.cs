using Direkt.Variants;

namespace Direkt;

/// <summary>Runs the variant-expiry reaper every 5 s (when some path expires variants), so a variant goes within seconds of expiring.</summary>
internal sealed class VariantExpiryService(VariantExpiry expiry, ILogger<VariantExpiryService> logger)
    : RepeatingWorkService(logger, TimeSpan.FromSeconds(5), VariantExpiry.BatchSize)
{
    protected override bool Enabled => expiry.Enabled;
    protected override Task<int> RunOnceAsync(CancellationToken cancellationToken) => expiry.RunOnceAsync(cancellationToken);

    // Uses noted since the last round are written on the way out (best effort: losing them only lets a variant expire early).
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (expiry.PendingUses == 0) return;
        try
        {
            await expiry.FlushUsesAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out first.
        }
    }
}
