using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Scheduling;

public static class SchedulingServices
{
    /// <summary>Registers the one <see cref="WorkerPool"/> every piece of image work runs in, its <see cref="MemoryBudget"/> and its <see cref="QueueThroughput"/>.</summary>
    /// <param name="memoryBudget">Bytes; 0 means <see cref="MemoryBudget.DefaultCapacity"/> (half the memory limit).</param>
    public static IServiceCollection AddDirektScheduling(this IServiceCollection services, WorkerPoolOptions pool, long memoryBudget)
    {
        var workers = new WorkerPool(pool);
        services.AddSingleton(workers);
        // Subscribed from the start, so /stats counts every job the pool finishes.
        services.AddSingleton(new QueueThroughput(workers));
        services.AddSingleton(new MemoryBudget(memoryBudget > 0 ? memoryBudget : MemoryBudget.DefaultCapacity));
        return services;
    }
}
