namespace Direkt.Scheduling;

/// <summary>The two queues: a client waits on synchronous work (on-demand variants, preprocessing); asynchronous work is best effort (eager variants).</summary>
public enum JobQueue
{
    Synchronous,
    Asynchronous,
}

/// <summary>A job taken from the scheduler: which queue it came from, and whether it was taken there because the preferred queue was empty.</summary>
internal readonly record struct ScheduledJob<TJob>(TJob Job, JobQueue Queue, bool Stolen);

/// <summary>Where the weighted draw gets its randomness; tests pass a seeded one.</summary>
public interface IRandomSource
{
    /// <summary>A whole number in [0, 100).</summary>
    int NextPercent();
}

internal sealed class SystemRandomSource(Random? random = null) : IRandomSource
{
    private readonly Random _random = random ?? Random.Shared;
    public int NextPercent() => _random.Next(100);
}
