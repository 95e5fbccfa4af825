namespace Direkt.Storage.Records;

/// <summary>The replaceable information of an asset (PUT replaces all three; absent means cleared).</summary>
public sealed record AssetInformation(string? Alt, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> Tags);

/// <summary>Which assets a DELETE removes.</summary>
public abstract record AssetDeletion
{
    private AssetDeletion() { }

    /// <summary>Exactly one asset.</summary>
    public sealed record Entry(string Path, long EntryId) : AssetDeletion;

    /// <summary>Assets at exactly one path, in the query's order, up to its limit (-1: all), matching its labels.</summary>
    public sealed record Matching(AssetQuery Query) : AssetDeletion;

    /// <summary>Every asset at the path and below it (`/a` covers `/a` and `/a/b`, not `/ab`) matching the labels.</summary>
    public sealed record Recursive(string Path, IReadOnlyDictionary<string, string>? Labels = null) : AssetDeletion;
}

/// <summary>One generated variant, as the expiry reaper sees it.</summary>
public sealed record VariantUse(string Path, long EntryId, string Transformation, DateTimeOffset CreatedAt, DateTimeOffset? AccessedAt)
{
    public DateTimeOffset LastUsed => AccessedAt ?? CreatedAt;
}

/// <summary>A stored object waiting in the deletion outbox.</summary>
public sealed record OutboxEntry(long Id, string Bucket, string Key, int Attempts);

/// <summary>Shared rules of the repositories' change operations.</summary>
internal static class AssetChangeRules
{
    /// <summary>
    /// A modification time strictly after the previous one, even within the same millisecond, so every update yields new
    /// validators (ETags are derived from it).
    /// </summary>
    public static DateTimeOffset NextModified(DateTimeOffset previous, DateTimeOffset now)
    {
        var truncated = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        return truncated > previous ? truncated : previous.AddMilliseconds(1);
    }

    public static bool Covers(string root, string path) =>
        path == root || (path.StartsWith(root, StringComparison.Ordinal) && path.Length > root.Length && path[root.Length] == '/')
        || root == "/";
}
