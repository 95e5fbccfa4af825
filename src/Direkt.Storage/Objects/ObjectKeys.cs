namespace Direkt.Storage.Objects;

/// <summary>Checks buckets and keys before they reach a file system or a network: no way out of the store's root.</summary>
internal static class ObjectKeys
{
    public static void Validate(string bucket, string key)
    {
        ValidateBucket(bucket);
        if (string.IsNullOrEmpty(key) || key.StartsWith('/') || key.Split('/').Any(s => !IsSafeSegment(s)))
            throw new ArgumentException($"invalid object key '{key}'", nameof(key));
    }

    // A leading dot is refused too: dot-folders below the root (".health") belong to the store, and S3 names cannot start with one.
    public static void ValidateBucket(string bucket)
    {
        if (string.IsNullOrEmpty(bucket) || bucket.StartsWith('.') || bucket.Contains('/') || !IsSafeSegment(bucket))
            throw new ArgumentException($"invalid bucket name '{bucket}'", nameof(bucket));
    }

    // ".tmp" is where the filesystem store writes before renaming, so no key may live there.
    private static bool IsSafeSegment(string segment) =>
        segment.Length > 0 && segment is not ("." or "..") && !segment.StartsWith(".tmp", StringComparison.Ordinal)
        && segment.All(c => !char.IsControl(c) && c is not ('\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|'));
}
