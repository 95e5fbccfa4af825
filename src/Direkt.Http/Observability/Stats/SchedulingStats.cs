using Direkt.Scheduling;

namespace Direkt.Http.Observability.Stats;

/// <summary>"workers": the pool's size and how many are running a job now.</summary>
internal sealed class WorkersStats(WorkerPool pool) : IStatsSection
{
    public string Name => "workers";

    public ValueTask<object?> ReadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<object?>(new { total = pool.Workers, busy = pool.Busy });
}

/// <summary>"queues": per queue, jobs waiting and places, jobs completed since start and per second (last 10 s).</summary>
internal sealed class QueuesStats(WorkerPool pool, QueueThroughput throughput) : IStatsSection
{
    public string Name => "queues";

    public ValueTask<object?> ReadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<object?>(new { synchronous = Queue(JobQueue.Synchronous), asynchronous = Queue(JobQueue.Asynchronous) });

    private object Queue(JobQueue queue)
    {
        var completed = throughput.Of(queue);
        return new { depth = pool.Queued(queue), capacity = pool.QueueSize, completed = completed.Total, perSecond = Round(completed.PerSecond()) };
    }

    internal static double Round(double value) => Math.Round(value, 3);
}

/// <summary>"memory": the memory budget (limit, admitted now) and the process' resident memory.</summary>
internal sealed class MemoryStats(MemoryBudget budget) : IStatsSection
{
    public string Name => "memory";

    public ValueTask<object?> ReadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<object?>(new { budgetBytes = budget.Capacity, inUseBytes = budget.Used, residentBytes = Environment.WorkingSet });
}
