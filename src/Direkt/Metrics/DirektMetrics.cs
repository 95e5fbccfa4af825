using Direkt.Imaging.Rendering;
using Direkt.Scheduling;
using Direkt.Variants;
using Prometheus;

namespace Direkt.Metrics;

/// <summary>
/// Prometheus metrics of the scheduler, the worker pool and the variant cache (served at /metrics). Gauges and the cache's
/// counters are read from the live objects at scrape time; job counters and histograms are fed by the pool after each job.
/// </summary>
internal sealed class DirektMetrics
{
    private readonly Counter.Child _dropped;
    private readonly Counter.Child _hits, _misses, _collapsed;
    private readonly Counter _generations;
    private readonly Counter.Child _eagerQueued, _eagerDiscarded, _eagerDropped;

    public DirektMetrics(WorkerPool pool, VariantCounters variants, HotVariantCache hitCache, DecodedOriginals decodeCache, CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var queueDepth = factory.CreateGauge("direkt_queue_depth", "Jobs waiting, per queue.", "queue");
        var workers = factory.CreateGauge("direkt_workers", "Workers by state.", "state");
        var jobs = factory.CreateCounter("direkt_jobs_total", "Jobs finished, per queue and outcome (started = completed + failed).", "queue", "outcome");
        var stolen = factory.CreateCounter("direkt_jobs_stolen_total", "Jobs taken from the other queue because the preferred one was empty.", "queue");
        _dropped = factory.CreateCounter("direkt_jobs_dropped_total", "Jobs dropped because their queue was full or the server stopped.", "queue")
            .WithLabels("asynchronous");
        var duration = factory.CreateHistogram("direkt_job_duration_seconds", "Time a job ran, per kind.",
            new HistogramConfiguration { LabelNames = ["kind"], Buckets = MetricBuckets.Work });
        var wait = factory.CreateHistogram("direkt_job_wait_seconds", "Time a job waited in its queue.",
            new HistogramConfiguration { LabelNames = ["queue"], Buckets = MetricBuckets.Work });
        var requests = factory.CreateCounter("direkt_variant_requests_total", "Variant requests by cache outcome.", "outcome");
        (_hits, _misses, _collapsed) = (requests.WithLabels("hit"), requests.WithLabels("miss"), requests.WithLabels("collapsed"));
        _generations = factory.CreateCounter("direkt_variant_generations_total", "Variants generated and recorded (on demand and eager).");
        var eager = factory.CreateCounter("direkt_eager_variants_total",
            "Eager generations after uploads: queued, discarded (a client asked first), dropped (queue full).", "outcome");
        (_eagerQueued, _eagerDiscarded, _eagerDropped) = (eager.WithLabels("queued"), eager.WithLabels("discarded"), eager.WithLabels("dropped"));
        var notStored = factory.CreateCounter("direkt_variants_not_stored_total", "Variants generated and served but not stored (limits.max-variants-per-asset).");
        var keptBytes = factory.CreateGauge("direkt_hit_cache_bytes", "Bytes of variants kept in memory for hits (hit-cache.memory bounds them).");
        var keptObjects = factory.CreateGauge("direkt_hit_cache_objects", "Variants kept in memory for hits.");
        var reads = factory.CreateCounter("direkt_hit_cache_reads_total",
            "Reads of variants small enough to keep, by where their bytes came from: memory, or the object store (then kept).", "source");
        var (fromMemory, fromStore) = (reads.WithLabels("memory"), reads.WithLabels("store"));
        var decodedBytes = factory.CreateGauge("direkt_decode_cache_bytes", "Bytes of decoded originals kept in memory for misses (decode-cache.memory bounds them).");
        var decodedObjects = factory.CreateGauge("direkt_decode_cache_objects", "Decoded originals kept in memory for misses.");
        var renders = factory.CreateCounter("direkt_decode_cache_renders_total",
            "Variant renders that could use a decoded original, by where their pixels came from: memory, or the original's file (then kept).", "source");
        var (rendersFromMemory, rendersFromFile) = (renders.WithLabels("memory"), renders.WithLabels("file"));

        // Every queue's counters exist from the start (at 0), so rates and alerts never meet a missing series (whether a steal
        // happens at all is the scheduler's random draw).
        foreach (var queue in new[] { "synchronous", "asynchronous" })
        {
            stolen.WithLabels(queue);
            foreach (var outcome in Enum.GetValues<JobOutcome>()) jobs.WithLabels(queue, outcome.ToString().ToLowerInvariant());
        }

        pool.JobFinished += record =>
        {
            var queue = Name(record.Queue);
            jobs.WithLabels(queue, record.Outcome.ToString().ToLowerInvariant()).Inc();
            if (record.Stolen) stolen.WithLabels(queue).Inc();
            wait.WithLabels(queue).Observe(record.Waited.TotalSeconds);
            if (record.Outcome != JobOutcome.Skipped) duration.WithLabels(record.Kind).Observe(record.Ran.TotalSeconds);
        };

        var (syncDepth, asyncDepth) = (queueDepth.WithLabels("synchronous"), queueDepth.WithLabels("asynchronous"));
        var (busy, idle) = (workers.WithLabels("busy"), workers.WithLabels("idle"));
        registry.AddBeforeCollectCallback(() =>
        {
            syncDepth.Set(pool.Queued(JobQueue.Synchronous));
            asyncDepth.Set(pool.Queued(JobQueue.Asynchronous));
            busy.Set(pool.Busy);
            idle.Set(pool.Workers - pool.Busy);
            _dropped.IncTo(pool.Counters.Dropped);
            _hits.IncTo(variants.Hits);
            _misses.IncTo(variants.Misses);
            _collapsed.IncTo(variants.Collapsed);
            _generations.IncTo(variants.Generated);
            _eagerQueued.IncTo(variants.EagerQueued);
            _eagerDiscarded.IncTo(variants.EagerDiscarded);
            _eagerDropped.IncTo(variants.EagerDropped);
            notStored.IncTo(variants.NotStored);
            keptBytes.Set(hitCache.Bytes);
            keptObjects.Set(hitCache.Count);
            fromMemory.IncTo(hitCache.Found);
            fromStore.IncTo(hitCache.Missed);
            decodedBytes.Set(decodeCache.Bytes);
            decodedObjects.Set(decodeCache.Count);
            rendersFromMemory.IncTo(decodeCache.RendersFromMemory);
            rendersFromFile.IncTo(decodeCache.RendersFromFile);
        });
    }

    private static string Name(JobQueue queue) => queue == JobQueue.Synchronous ? "synchronous" : "asynchronous";
}
