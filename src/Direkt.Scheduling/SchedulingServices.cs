using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Direkt.Scheduling;

public static class SchedulingServices
{
    /// <summary>Registers the one <see cref="WorkerPool"/> every piece of image work runs in, and its <see cref="MemoryBudget"/>.</summary>
    /// <param name="memoryBudget">Bytes; 0 means <see cref="MemoryBudget.DefaultCapacity"/> (half the memory limit).</param>
    public static IServiceCollection AddDirektScheduling(this IServiceCollection services, WorkerPoolOptions pool, long memoryBudget)
    {
        services.AddSingleton(new WorkerPool(pool));
        services.AddSingleton(new MemoryBudget(memoryBudget > 0 ? memoryBudget : MemoryBudget.DefaultCapacity));
        services.TryAddSingleton(TemporarySpace.Unbounded); // a host registers the configured bound first

        return services;
    }
}
