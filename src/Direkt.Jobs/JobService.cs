using Direkt.Assets;
using Direkt.Storage.Records.Jobs;

namespace Direkt.Jobs;

/// <summary>
/// The jobs use case behind /jobs: checks and stores a new job (the runner of some instance claims it), reads, lists and
/// cancels jobs. A cancel is stored (every instance sees it at its next save) and told to this instance's runner at once.
/// </summary>
public sealed class JobService(IJobRecords records, AssetVariants variants, JobRunner runner, TimeProvider time)
{
    public const int MaxListLimit = 100;
    public const int DefaultListLimit = 20;

    public async Task<StoredJob> StartAsync(JobRequest request, CancellationToken cancellationToken)
    {
        if (request.Kind is null || !JobKinds.All.Contains(request.Kind))
            throw JobPathPattern.Invalid("kind", $"one of {string.Join(", ", JobKinds.All)}");
        JobPathPattern.Parse(request.Path);
        var profiles = (request.Profiles ?? []).ToList();
        var transformations = (request.Transformations ?? []).ToList();
        if (request.Kind == JobKinds.Pregenerate && profiles.Count + transformations.Count == 0)
            throw JobPathPattern.Invalid("profiles", "pregenerate needs at least one profile or transformation");
        if (request.Kind == JobKinds.Purge && profiles.Count + transformations.Count > 0)
            throw JobPathPattern.Invalid("profiles", "purge removes every generated variant; it takes no profiles or transformations");
        if (request.DryRun && request.Kind == JobKinds.Pregenerate)
            throw JobPathPattern.Invalid("dryRun", "a dry run is for purge and regenerate");
        if (profiles.Count + transformations.Count > 100)
            throw JobPathPattern.Invalid("transformations", "at most 100 profiles and transformations together");
        // Upfront: the profile exists and each query parses (400 now); each asset's path policy is applied item by item.
        foreach (var spec in profiles.Select(JobSpec.Profile).Concat(transformations.Select(JobSpec.Query)))
            variants.CheckForJob(spec.Parameters);

        var job = new StoredJob
        {
            Id = Guid.CreateVersion7().ToString("N"), Kind = request.Kind, State = JobStates.Queued, Path = request.Path!,
            Profiles = profiles, Transformations = transformations, DryRun = request.DryRun, CreatedAt = time.GetUtcNow(),
        };
        await records.CreateJobAsync(job, cancellationToken);
        runner.Wake();
        return await records.GetJobAsync(job.Id, cancellationToken) ?? job;
    }

    public Task<StoredJob?> GetAsync(string id, CancellationToken cancellationToken) => records.GetJobAsync(id, cancellationToken);

    public Task<JobPage> ListAsync(string? state, int? limit, string? after, CancellationToken cancellationToken)
    {
        if (state is not null && !JobStates.All.Contains(state))
            throw JobPathPattern.Invalid("state", $"one of {string.Join(", ", JobStates.All)}");
        if (limit is < 1 or > MaxListLimit) throw JobPathPattern.Invalid("limit", $"1 to {MaxListLimit}");
        return records.ListJobsAsync(new JobListing(state, limit ?? DefaultListLimit, after), cancellationToken);
    }

    public async Task<StoredJob?> CancelAsync(string id, CancellationToken cancellationToken)
    {
        var job = await records.CancelJobAsync(id, time.GetUtcNow(), cancellationToken);
        if (job is not null) runner.Cancel(id);
        return job;
    }
}
