using System.Collections.Concurrent;
using Direkt.Http.Observability;
using Prometheus;

namespace Direkt.Metrics;

/// <summary>
/// direkt_http_requests_total and direkt_http_request_duration_seconds by method, route pattern and status. The labelled
/// children are cached per (method, route, status), so a request costs one dictionary lookup and no allocation.
/// </summary>
internal sealed class HttpMetrics : IHttpRequestObserver
{
    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly ConcurrentDictionary<(string Method, string Route, int Status), (Counter.Child Count, Histogram.Child Duration)> _children = new();

    public HttpMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _requests = factory.CreateCounter("direkt_http_requests_total", "HTTP requests by method, route pattern and status code.",
            "method", "route", "status");
        _duration = factory.CreateHistogram("direkt_http_request_duration_seconds", "Time from the request's arrival to its answer's end.",
            new HistogramConfiguration { LabelNames = ["method", "route", "status"], Buckets = MetricBuckets.Fast });
    }

    public void Completed(string method, string route, int status, TimeSpan elapsed)
    {
        var key = (method, route, status);
        if (!_children.TryGetValue(key, out var children))
        {
            var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            children = _children.GetOrAdd(key, (_requests.WithLabels(method, route, code), _duration.WithLabels(method, route, code)));
        }
        children.Count.Inc();
        children.Duration.Observe(elapsed.TotalSeconds);
    }
}
