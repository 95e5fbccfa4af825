using Direkt.Scheduling;
using Direkt.Variants;
using Prometheus;

namespace Direkt.Metrics;

/// <summary>
/// Prometheus metrics of the scheduler, the worker pool and the variant cache (served at /metrics). Gauges are read from
/// the live objects at scrape time; counters and histograms are fed by the pool after each job.
/// </summary>
internal sealed class DirektMetrics
{
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Gauge _queueDepth;
    private readonly Gauge _workers;
    private readonly Counter _jobs;
    private readonly Counter _stolen;
    private readonly Counter _dropped;
    private readonly Histogram _duration;
    private readonly Histogram _wait;
    private readonly Gauge _cache;
    private long _reportedDrops;

    public DirektMetrics(WorkerPool pool, VariantCounters variants, CollectorRegistry? registry = null)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry ?? Prometheus.Metrics.DefaultRegistry);
        _queueDepth = factory.CreateGauge("direkt_queue_depth", "Jobs waiting, per queue.", "queue");
        _workers = factory.CreateGauge("direkt_workers", "Workers by state.", "state");
        _jobs = factory.CreateCounter("direkt_jobs_total", "Jobs finished, per queue and outcome (started = completed + failed).", "queue", "outcome");
        _stolen = factory.CreateCounter("direkt_jobs_stolen_total", "Jobs taken from the other queue because the preferred one was empty.", "queue");
        _dropped = factory.CreateCounter("direkt_jobs_dropped_total", "Jobs dropped because their queue was full or the server stopped.", "queue");
        _duration = factory.CreateHistogram("direkt_job_duration_seconds", "Time a job ran, per kind.",
            new HistogramConfiguration { LabelNames = ["kind"], Buckets = DurationBuckets });
        _wait = factory.CreateHistogram("direkt_job_wait_seconds", "Time a job waited in its queue.",
            new HistogramConfiguration { LabelNames = ["queue"], Buckets = DurationBuckets });
        var notStored = factory.CreateCounter("direkt_variants_not_stored_total", "Variants generated and served but not stored (limits.max-variants-per-asset).");
        _cache = factory.CreateGauge("direkt_variant_requests", "Variant requests by cache outcome since start, and generations.", "outcome");

        pool.JobFinished += record =>
        {
            var queue = Name(record.Queue);
            _jobs.WithLabels(queue, record.Outcome.ToString().ToLowerInvariant()).Inc();
            if (record.Stolen) _stolen.WithLabels(queue).Inc();
            _wait.WithLabels(queue).Observe(record.Waited.TotalSeconds);
            if (record.Outcome != JobOutcome.Skipped) _duration.WithLabels(record.Kind).Observe(record.Ran.TotalSeconds);
        };

        (registry ?? Prometheus.Metrics.DefaultRegistry).AddBeforeCollectCallback(() =>
        {
            _queueDepth.WithLabels("synchronous").Set(pool.Queued(JobQueue.Synchronous));
            _queueDepth.WithLabels("asynchronous").Set(pool.Queued(JobQueue.Asynchronous));
            _workers.WithLabels("busy").Set(pool.Busy);
            _workers.WithLabels("idle").Set(pool.Workers - pool.Busy);
            var drops = pool.Counters.Dropped;
            _dropped.WithLabels("asynchronous").Inc(drops - Interlocked.Exchange(ref _reportedDrops, drops));
            _cache.WithLabels("hit").Set(variants.Hits);
            _cache.WithLabels("miss").Set(variants.Misses);
            _cache.WithLabels("collapsed").Set(variants.Collapsed);
            _cache.WithLabels("generated").Set(variants.Generated);
            notStored.IncTo(variants.NotStored);
        });
    }

    private static string Name(JobQueue queue) => queue == JobQueue.Synchronous ? "synchronous" : "asynchronous";
}
