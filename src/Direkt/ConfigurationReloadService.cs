using System.Security.Cryptography;
using Direkt.Assets.Transformations;
using Direkt.Configuration.Loading;
using Direkt.Imaging;
using Direkt.Scheduling;
using Direkt.Storage;
using Direkt.Storage.Objects;

namespace Direkt;

/// <summary>
/// Watches direkt.conf and reloads it when its content changes (polling every 2 s: file-change events are unreliable on the
/// mounted and symlink-swapped files of containers). An edit is checked whole — the schema, ranges, profiles against the loaded
/// libvips, and on S3 that every bucket exists — before it takes effect; a refused edit is logged and the running
/// configuration kept. Files pulled in with `include` are read again on a reload, but only a change of the main file triggers one.
/// </summary>
internal sealed class ConfigurationReloadService : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly DirektConfigurationMonitor _monitor;
    private readonly WorkerPool _pool;
    private readonly IBucketSet? _buckets;
    private readonly ILogger<ConfigurationReloadService> _logger;

    /// <param name="buckets">The object store's bucket set when its buckets must exist beforehand (S3), else none.</param>
    public ConfigurationReloadService(DirektConfigurationMonitor monitor, WorkerPool pool, IEnumerable<IBucketSet> buckets,
        FormatCapabilities capabilities, ILogger<ConfigurationReloadService> logger)
    {
        (_monitor, _pool, _buckets, _logger) = (monitor, pool, buckets.SingleOrDefault(), logger);
        monitor.Validator = async (candidate, cancellationToken) =>
        {
            TransformationSettingsCheck.Validate(candidate, capabilities);
            if (_buckets is null) return;
            try
            {
                await _buckets.CheckBucketsAsync(DirektServer.Buckets(candidate), cancellationToken);
            }
            catch (StorageUnavailableException e)
            {
                throw new DirektConfigurationException("paths", e.Message);
            }
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var file = _monitor.Current.FilePath;
        if (file is null) return;
        var seen = Fingerprint(file);
        using var timer = new PeriodicTimer(PollInterval);
        while (await Tick(timer, stoppingToken))
        {
            var now = Fingerprint(file);
            if (now is null || now == seen) continue;
            seen = now;
            Apply(await _monitor.ReloadAsync(stoppingToken));
        }
    }

    /// <summary>Reloads now (the polling loop does this on its own when the file changes).</summary>
    public async Task<ReloadResult> ReloadNowAsync(CancellationToken cancellationToken = default)
    {
        var result = await _monitor.ReloadAsync(cancellationToken);
        Apply(result);
        return result;
    }

    private void Apply(ReloadResult result)
    {
        if (result.Problem is { } problem)
        {
            _logger.LogError("direkt.conf changed but the edit is refused; the running configuration stays in force:\n{Problem}", problem);
            return;
        }
        if (result.Applied)
        {
            var current = _monitor.Current;
            _pool.SynchronousPriority = current.Options.VariantGeneration.SynchronousPriority;
            _buckets?.UseBuckets(DirektServer.Buckets(current));
            _logger.LogInformation("direkt.conf reloaded: variant-profiles, paths, url-signing and synchronous-priority are in force");
        }
        if (result.NeedRestart.Count > 0)
            _logger.LogWarning("direkt.conf changes that need a restart to take effect: {Keys}", string.Join(", ", result.NeedRestart.Take(20)));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try { return await timer.WaitForNextTickAsync(stoppingToken); }
        catch (OperationCanceledException) { return false; }
    }

    private static string? Fingerprint(string file)
    {
        try
        {
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // mid-replace or briefly unreadable: look again at the next tick
        }
    }
}
