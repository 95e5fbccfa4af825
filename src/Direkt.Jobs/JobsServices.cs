using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Direkt.Jobs;

public static class JobsServices
{
    /// <summary>
    /// Registers background jobs: the use case (<see cref="JobService"/>), the runner and the retention loop (hosted services:
    /// register this after the worker pool's service, so the runner stops first on SIGTERM), and the counters for metrics.
    /// </summary>
    public static IServiceCollection AddDirektJobs(this IServiceCollection services, JobSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<JobCounters>();
        services.AddSingleton<JobItems>();
        services.AddSingleton<JobExecution>();
        services.AddSingleton(provider => new JobRunner(provider.GetRequiredService<Storage.Records.Jobs.IJobRecords>(),
            provider.GetRequiredService<JobExecution>(), settings, provider.GetRequiredService<JobCounters>(),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<JobRunner>>(),
            provider.GetRequiredService<IHostApplicationLifetime>()));
        services.AddSingleton<JobService>();
        services.AddHostedService(provider => provider.GetRequiredService<JobRunner>());
        services.AddHostedService<JobRetentionService>();
        return services;
    }
}
