namespace Direkt.Jobs;

/// <summary>
/// The job runner's settings (jobs.* in direkt.conf): how long finished jobs are kept, how long a claim holds without renewal
/// (another instance takes the job over after it), how long running items may finish on SIGTERM, and how often an idle runner
/// looks for jobs created by other instances.
/// </summary>
public sealed record JobSettings(TimeSpan Retention, TimeSpan Lease, TimeSpan ShutdownGrace, TimeSpan PollInterval)
{
    /// <summary>Assets read per page of the job's walk.</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>Progress (counts and cursor) is saved at least this often while a job runs, and always when it stops.</summary>
    public TimeSpan SaveInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}
