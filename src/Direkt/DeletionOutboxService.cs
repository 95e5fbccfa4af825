using Direkt.Storage.Outbox;

namespace Direkt;

/// <summary>Runs the deletion outbox in the background: at once while it has full batches, else every second.</summary>
internal sealed class DeletionOutboxService(DeletionOutbox outbox, ILogger<DeletionOutboxService> logger)
    : RepeatingWorkService(logger, TimeSpan.FromSeconds(1), DeletionOutbox.BatchSize)
{
    protected override Task<int> RunOnceAsync(CancellationToken cancellationToken) => outbox.RunOnceAsync(cancellationToken);
}
