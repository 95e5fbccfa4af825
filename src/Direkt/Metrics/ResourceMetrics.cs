using Direkt.Imaging;
using Direkt.Scheduling;
using Direkt.Storage.Records;
using Prometheus;

namespace Direkt.Metrics;

/// <summary>
/// The memory budget (in use and limit), libvips' tracked memory, and the deletion outbox backlog. The backlog is a count
/// query, so it is read at most every <see cref="BacklogMaxAge"/> and only when scraped; a failed read keeps the last value.
/// </summary>
internal sealed class ResourceMetrics
{
    public static readonly TimeSpan BacklogMaxAge = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan BacklogTimeout = TimeSpan.FromSeconds(2);

    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger<ResourceMetrics> _logger;
    private readonly Gauge _backlog;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private DateTimeOffset _backlogReadAt = DateTimeOffset.MinValue;

    // The record store is resolved at the first scrape, never while the server is built: start-up checks come first.
    public ResourceMetrics(MemoryBudget budget, IServiceProvider services, TimeProvider time, ILogger<ResourceMetrics> logger,
        CollectorRegistry registry)
    {
        (_services, _time, _logger) = (services, time, logger);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var memory = factory.CreateGauge("direkt_memory_budget_bytes", "The memory budget for image work: estimated bytes in use, and the limit.", "state");
        var libvips = factory.CreateGauge("direkt_libvips_memory_bytes",
            "Memory libvips tracks (its pixel buffers; codec memory is not included): now, and the highest since start.", "state");
        _backlog = factory.CreateGauge("direkt_deletion_outbox_entries", "Objects of deleted records waiting in the deletion outbox (all instances).");
        var (inUse, limit) = (memory.WithLabels("in_use"), memory.WithLabels("limit"));
        var (tracked, highwater) = (libvips.WithLabels("tracked"), libvips.WithLabels("highwater"));

        registry.AddBeforeCollectCallback(() =>
        {
            inUse.Set(budget.Used);
            limit.Set(budget.Capacity);
            tracked.Set(LibvipsRuntime.TrackedMemory);
            highwater.Set(LibvipsRuntime.TrackedMemoryHighwater);
        });
        registry.AddBeforeCollectCallback(ReadBacklogAsync);
    }

    private async Task ReadBacklogAsync(CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() - _backlogReadAt < BacklogMaxAge || !await _reading.WaitAsync(0, cancellationToken)) return;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(BacklogTimeout);
            _backlog.Set(await _services.GetRequiredService<IDeletionOutboxRecords>().CountDeletionsAsync(timeout.Token));
            _backlogReadAt = _time.GetUtcNow();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogDebug("Reading the deletion outbox backlog failed: {Reason}", e.Message);
        }
        finally
        {
            _reading.Release();
        }
    }
}
