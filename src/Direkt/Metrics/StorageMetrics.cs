using Direkt.Storage.Observation;
using Prometheus;

namespace Direkt.Metrics;

/// <summary>
/// direkt_storage_operations_total and direkt_storage_operation_duration_seconds by store, operation and outcome. Each
/// store operation gets its sink once, holding its four outcome children, so a call costs no label lookup.
/// </summary>
internal sealed class StorageMetrics : IStorageObserver
{
    private readonly Counter _operations;
    private readonly Histogram _duration;

    public StorageMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _operations = factory.CreateCounter("direkt_storage_operations_total", "Store calls by store, operation and outcome.",
            "store", "operation", "outcome");
        _duration = factory.CreateHistogram("direkt_storage_operation_duration_seconds", "Time a store call took, by store and operation.",
            new HistogramConfiguration { LabelNames = ["store", "operation"], Buckets = MetricBuckets.Fast });
    }

    public IStorageOperationSink Operation(string store, string operation) =>
        new Sink(Enum.GetValues<StorageOutcome>().Select(o => _operations.WithLabels(store, operation, Outcome(o))).ToArray(),
            _duration.WithLabels(store, operation));

    private static string Outcome(StorageOutcome outcome) => outcome switch
    {
        StorageOutcome.Ok => "ok",
        StorageOutcome.Missing => "missing",
        StorageOutcome.Error => "error",
        _ => "cancelled",
    };

    private sealed class Sink(Counter.Child[] outcomes, Histogram.Child duration) : IStorageOperationSink
    {
        public void Completed(StorageOutcome outcome, TimeSpan elapsed)
        {
            outcomes[(int)outcome].Inc();
            duration.Observe(elapsed.TotalSeconds);
        }
    }
}
