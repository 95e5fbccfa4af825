namespace Direkt.Http.Access;

/// <summary>
/// What an upload token allows (docs/api.md, "Upload tokens"): POST and PUT of the assets its <see cref="Subject"/> covers, until
/// <see cref="ExpiresAt"/>, optionally limited to <see cref="MaxBytes"/> of image and to the sniffed <see cref="Types"/>.
/// </summary>
/// <param name="Subject">`sub`: an asset path ("/users/123/avatar") or a prefix pattern ending in "/**" ("/users/123/**").</param>
/// <param name="ExpiresAt">`exp`, Unix seconds.</param>
/// <param name="IssuedAt">`iat`, Unix seconds.</param>
/// <param name="MaxBytes">`max_bytes`: the largest image the token may upload.</param>
/// <param name="Types">`types`: MIME types the sniffed image may have ("image/jpeg").</param>
public sealed record UploadTokenClaims(string Subject, long ExpiresAt, long? IssuedAt = null, long? MaxBytes = null,
    IReadOnlyList<string>? Types = null)
{
    private const string PrefixSuffix = "/**";

    /// <summary>True when the token's subject names this asset path: itself, or a path at or below the prefix of a "/**" pattern.</summary>
    public bool Covers(string assetPath)
    {
        if (!Subject.EndsWith(PrefixSuffix, StringComparison.Ordinal)) return string.Equals(Subject, assetPath, StringComparison.Ordinal);
        var prefix = Subject[..^PrefixSuffix.Length];
        return prefix.Length == 0
            || string.Equals(assetPath, prefix, StringComparison.Ordinal)
            || (assetPath.StartsWith(prefix, StringComparison.Ordinal) && assetPath.Length > prefix.Length && assetPath[prefix.Length] == '/');
    }

    /// <summary>Null when <paramref name="subject"/> is an asset path, "/**", or an asset path followed by "/**"; else the reason.</summary>
    public static string? CheckSubject(string subject)
    {
        if (subject == PrefixSuffix) return null;
        var path = subject.EndsWith(PrefixSuffix, StringComparison.Ordinal) ? subject[..^PrefixSuffix.Length] : subject;
        if (!path.StartsWith('/')) return "must start with '/'";
        return Direkt.Assets.AssetPath.TryCreate(path[1..].Split('/'), out var problem) is null
            ? $"must be an asset path or a prefix pattern ending in /** ({problem})"
            : null;
    }
}
