using Direkt.Jobs;
using Prometheus;

namespace Direkt.Metrics;

/// <summary>
/// Series of the background jobs (`/jobs`). Named `background_job…` so they are never read as the scheduler's
/// `direkt_jobs_total` (every piece of image work). Every kind × outcome exists from the start, at zero.
/// </summary>
internal sealed class BackgroundJobMetrics
{
    public BackgroundJobMetrics(JobCounters jobs, CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var items = factory.CreateCounter("direkt_background_job_items_total",
            "Background job items finished, per job kind and outcome (done, skipped, failed).", "kind", "outcome");
        var states = factory.CreateGauge("direkt_background_jobs", "Background jobs in the database per state, as this instance's runner last saw them.", "state");
        foreach (var kind in JobKinds.All)
            foreach (var outcome in Enum.GetValues<JobItemOutcome>())
                items.WithLabels(kind, Name(outcome));
        jobs.ItemFinished += (kind, outcome) => items.WithLabels(kind, Name(outcome)).Inc();
        registry.AddBeforeCollectCallback(() =>
        {
            foreach (var (state, count) in jobs.States) states.WithLabels(state).Set(count);
        });
    }

    private static string Name(JobItemOutcome outcome) => outcome switch
    {
        JobItemOutcome.Done => "done",
        JobItemOutcome.Skipped => "skipped",
        _ => "failed",
    };
}
