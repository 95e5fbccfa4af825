using Direkt.Assets;
using Direkt.Storage.Records.Jobs;

namespace Direkt.Jobs;

/// <summary>The kinds of background job.</summary>
public static class JobKinds
{
    /// <summary>Generate the given profiles/transformations of every matching asset (stored ones are skipped).</summary>
    public const string Pregenerate = "pregenerate";
    /// <summary>Remove every generated variant of the matching assets (originals kept).</summary>
    public const string Purge = "purge";
    /// <summary>Purge, then generate the given profiles/transformations, or without them every variant that existed.</summary>
    public const string Regenerate = "regenerate";

    public static readonly IReadOnlyList<string> All = [Pregenerate, Purge, Regenerate];
}

/// <summary>What a client asks for with POST /jobs.</summary>
public sealed record JobRequest(string? Kind, string? Path, IReadOnlyList<string>? Profiles, IReadOnlyList<string>? Transformations, bool DryRun);

/// <summary>
/// The asset path pattern of a job: one path ("/products/123"), or a path and everything below it ("/products/**"; "/**" is
/// every asset). Other wildcards are refused.
/// </summary>
public static class JobPathPattern
{
    public static AssetScope Parse(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern))
            throw Invalid("path", "required: an asset path, or a path followed by /** for everything below it");
        var below = pattern.EndsWith("/**", StringComparison.Ordinal);
        var root = below ? pattern[..^3] : pattern;
        if (root.Length == 0) return new AssetScope("/", Below: true);
        if (root.Contains('*'))
            throw Invalid("path", "only a trailing /** is supported as a wildcard");
        if (!root.StartsWith('/')) throw Invalid("path", "an asset path starts with /");
        try
        {
            return new AssetScope(AssetPath.Parse(root).Value, below);
        }
        catch (FormatException e)
        {
            throw Invalid("path", e.Message);
        }
    }

    internal static AssetException Invalid(string field, string message) =>
        AssetException.BadRequest("The job is invalid.", new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>One thing an item makes: a profile, or a transformation query ("w=300&amp;format=webp"), as GET parameters.</summary>
public sealed record JobSpec(string Text, IReadOnlyDictionary<string, string> Parameters)
{
    public static JobSpec Profile(string name) => new($"profile={name}", new Dictionary<string, string> { ["profile"] = name });

    public static JobSpec Query(string query)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var name = Uri.UnescapeDataString(parts[0]);
            if (parts.Length != 2 || !parameters.TryAdd(name, Uri.UnescapeDataString(parts[1].Replace('+', ' '))))
                throw JobPathPattern.Invalid("transformations", $"'{query}': each parameter once, as name=value");
        }
        if (parameters.Count == 0) throw JobPathPattern.Invalid("transformations", "an empty transformation");
        if (parameters.ContainsKey("profile")) throw JobPathPattern.Invalid("transformations", "name profiles in \"profiles\"");
        return new JobSpec(query, parameters);
    }

    /// <summary>The specs of a stored job, in its order: profiles first, then transformations.</summary>
    public static IReadOnlyList<JobSpec> Of(StoredJob job) =>
        [.. job.Profiles.Select(Profile), .. job.Transformations.Select(Query)];
}
