using Direkt.Configuration.Loading;
using Direkt.Scheduling;

namespace Direkt;

/// <summary>
/// Starts the worker pool with the server and drains it on SIGTERM (variant-generation.shutdown-grace). The drain runs in
/// the host's "stopping" phase, before Kestrel stops listening: while running work finishes, requests are still answered
/// (`/ready` with 503 draining, so load balancers send new work elsewhere; hits from the store; new generations 503).
/// </summary>
internal sealed class WorkerPoolService(WorkerPool pool, Http.Draining draining, DirektConfiguration configuration, ILogger<WorkerPoolService> logger)
    : IHostedLifecycleService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        pool.Start();
        logger.LogInformation("Worker pool started: {Workers} workers, queues of {QueueSize}, synchronous priority {Priority} %",
            pool.Workers, configuration.Options.VariantGeneration.QueueSize, pool.SynchronousPriority);
        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        draining.Begin();
        var dropped = await pool.StopAsync(configuration.Options.VariantGeneration.ShutdownGrace);
        logger.LogInformation("Worker pool stopped; {Dropped} queued eager jobs dropped", dropped);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
