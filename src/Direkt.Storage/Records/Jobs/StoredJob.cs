namespace Direkt.Storage.Records.Jobs;

/// <summary>The states of a background job; <see cref="IsFinished"/> tells the final ones.</summary>
public static class JobStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Queued, Running, Done, Failed, Cancelled];

    public static bool IsFinished(string state) => state is Done or Failed or Cancelled;
}

/// <summary>
/// One background job as stored: what it does, how far it got (counts and the cursor: the last asset whose items are all
/// processed, in (path, entryId) order) and who works it (owner and lease).
/// </summary>
public sealed record StoredJob
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string State { get; init; }
    /// <summary>The asset path pattern as given ("/products/**" or one path).</summary>
    public required string Path { get; init; }
    public IReadOnlyList<string> Profiles { get; init; } = [];
    public IReadOnlyList<string> Transformations { get; init; } = [];
    public bool DryRun { get; init; }

    public long Total { get; init; }
    public long Done { get; init; }
    public long Skipped { get; init; }
    public long Failed { get; init; }
    /// <summary>Variants removed by purge or regenerate (with a dry run: that would be removed), and their bytes.</summary>
    public long PurgedVariants { get; init; }
    public long PurgedBytes { get; init; }
    /// <summary>The first errors (at most <see cref="MaxErrors"/>).</summary>
    public IReadOnlyList<JobError> Errors { get; init; } = [];

    /// <summary>The last asset fully processed; null before the first.</summary>
    public AssetPosition? Cursor { get; init; }

    public string? Owner { get; init; }
    public DateTimeOffset? LeaseUntil { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    public const int MaxErrors = 10;
}

/// <summary>One failed item: the asset (path and entry) and the problem.</summary>
public sealed record JobError(string Path, long EntryId, string? Transformation, string Problem);

/// <summary>A place in the stable asset order (path, then entryId).</summary>
public sealed record AssetPosition(string Path, long EntryId);

/// <summary>Which assets a job covers: exactly <paramref name="Path"/>, or with <paramref name="Below"/> also every path under it.</summary>
public sealed record AssetScope(string Path, bool Below);

/// <summary>How many assets a scope holds, with their generated variants and those variants' bytes.</summary>
public sealed record AssetTally(long Assets, long Variants, long VariantBytes);

/// <summary>A page of jobs, newest first: in <paramref name="State"/> when given, strictly older than the job <paramref name="After"/>.</summary>
public sealed record JobListing(string? State, int Limit, string? After);

/// <summary>A page of jobs, and how many jobs there are in each state (all of them, not only this page).</summary>
public sealed record JobPage(IReadOnlyList<StoredJob> Jobs, IReadOnlyDictionary<string, long> Counts);
