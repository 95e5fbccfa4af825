using Direkt.Storage.Records.Jobs;

namespace Direkt.Jobs;

/// <summary>How an item ended: generated (or purged), skipped (already there, nothing to purge) or failed.</summary>
public enum JobItemOutcome { Done, Skipped, Failed }

/// <summary>What the job runner has done, for metrics: items by kind and outcome, and the jobs per state (refreshed by the runner).</summary>
public sealed class JobCounters
{
    private volatile IReadOnlyDictionary<string, long> _states = JobStates.All.ToDictionary(s => s, _ => 0L);

    /// <summary>Raised after every item; handlers must be quick and must not throw.</summary>
    public event Action<string, JobItemOutcome>? ItemFinished;

    /// <summary>How many jobs the database holds per state, as last seen by this instance's runner.</summary>
    public IReadOnlyDictionary<string, long> States => _states;

    internal void Item(string kind, JobItemOutcome outcome) => ItemFinished?.Invoke(kind, outcome);
    internal void SeeStates(IReadOnlyDictionary<string, long> states) => _states = states;
}
