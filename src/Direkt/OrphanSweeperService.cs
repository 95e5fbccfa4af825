using Direkt.Configuration.Loading;
using Direkt.Storage.Outbox;

namespace Direkt;

/// <summary>Sweeps every configured bucket for orphaned objects a minute after start, then every six hours.</summary>
internal sealed class OrphanSweeperService(OrphanSweeper sweeper, DirektConfigurationMonitor settings, ILogger<OrphanSweeperService> logger)
    : RepeatingWorkService(logger, TimeSpan.FromHours(6), int.MaxValue)
{
    private bool _started;

    protected override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            await Task.Delay(TimeSpan.FromMinutes(1), cancellationToken); // let start-up traffic settle first
        }
        var configuration = settings.Current;
        var buckets = configuration.Paths.Patterns.Select(p => configuration.Paths.Resolve(p.ExamplePath()).ObjectStore.Bucket)
            .Distinct(StringComparer.Ordinal).ToList();
        return await sweeper.SweepAsync(buckets, cancellationToken);
    }
}
