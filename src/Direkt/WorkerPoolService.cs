using Direkt.Configuration.Loading;
using Direkt.Scheduling;

namespace Direkt;

/// <summary>Starts the worker pool with the server and stops it gracefully on SIGTERM (variant-generation.shutdown-grace).</summary>
internal sealed class WorkerPoolService(WorkerPool pool, DirektConfiguration configuration, ILogger<WorkerPoolService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        pool.Start();
        logger.LogInformation("Worker pool started: {Workers} workers, queues of {QueueSize}, synchronous priority {Priority} %",
            pool.Workers, configuration.Options.VariantGeneration.QueueSize, pool.SynchronousPriority);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var dropped = await pool.StopAsync(configuration.Options.VariantGeneration.ShutdownGrace);
        logger.LogInformation("Worker pool stopped; {Dropped} queued eager jobs dropped", dropped);
    }
}
