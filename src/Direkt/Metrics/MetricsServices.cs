using Direkt.Configuration.Loading;
using Direkt.Http.Access;
using Direkt.Http.Observability;
using Direkt.Scheduling;
using Direkt.Storage.Observation;
using Direkt.Variants;
using Prometheus;

namespace Direkt.Metrics;

/// <summary>Registers every series of /metrics (docs/operations.md lists them) and maps the endpoint.</summary>
internal static class MetricsServices
{
    public static IServiceCollection AddDirektMetrics(this IServiceCollection services)
    {
        // Each server gets its own registry, so several in one process (tests) never share or clash.
        services.AddSingleton(new CollectorRegistry());
        services.AddSingleton(provider => new DirektMetrics(provider.GetRequiredService<WorkerPool>(),
            provider.GetRequiredService<VariantCounters>(), provider.GetRequiredService<HotVariantCache>(),
            provider.GetRequiredService<Direkt.Imaging.Rendering.DecodedOriginals>(), provider.GetRequiredService<CollectorRegistry>()));
        services.AddSingleton<ResourceMetrics>();
        services.AddSingleton(provider => new BackgroundJobMetrics(provider.GetRequiredService<Direkt.Jobs.JobCounters>(),
            provider.GetRequiredService<CollectorRegistry>()));
        services.AddSingleton(provider => new HttpMetrics(provider.GetRequiredService<CollectorRegistry>()));
        services.AddSingleton<IHttpRequestObserver>(provider => provider.GetRequiredService<HttpMetrics>());
        services.AddSingleton(provider => new StorageMetrics(provider.GetRequiredService<CollectorRegistry>()));
        services.AddSingleton<IStorageObserver>(provider => provider.GetRequiredService<StorageMetrics>());
        return services;
    }

    public static WebApplication MapDirektMetrics(this WebApplication app)
    {
        var registry = app.Services.GetRequiredService<CollectorRegistry>();
        app.Services.GetRequiredService<DirektMetrics>();
        app.Services.GetRequiredService<ResourceMetrics>();
        app.Services.GetRequiredService<BackgroundJobMetrics>();
        RuntimeMetrics.Register(registry);
        BuildInfoMetric.Register(registry, app.Services.GetRequiredService<DirektConfigurationMonitor>());
        app.MapMetrics(registry: registry).WithAccess(AccessRule.Open).OnAdminPort() // only on http.admin-port when set
            .WithSummary("Prometheus metrics (text exposition format)");
        return app;
    }
}
