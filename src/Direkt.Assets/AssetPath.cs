namespace Direkt.Assets;

/// <summary>
/// An application path such as "/users/123/avatar" (API.md §1): 1–32 segments of 1–128 characters from
/// A–Z a–z 0–9 _ . ~ -, at most 1024 characters, case-sensitive; "." and ".." and the selector separator "-" are refused.
/// </summary>
public sealed record AssetPath
{
    public const int MaxSegments = 32;
    public const int MaxSegmentLength = 128;
    public const int MaxLength = 1024;

    private AssetPath(IReadOnlyList<string> segments) => Segments = segments;

    public IReadOnlyList<string> Segments { get; }

    public string Value => "/" + string.Join('/', Segments);

    public string LastSegment => Segments[^1];

    /// <summary>Parses decoded path segments; returns null and a reason when they break the grammar.</summary>
    public static AssetPath? TryCreate(IReadOnlyList<string> segments, out string? problem)
    {
        problem = Check(segments);
        return problem is null ? new AssetPath(segments.ToArray()) : null;
    }

    public static AssetPath Parse(string path) =>
        TryCreate(path.TrimStart('/').Split('/'), out var problem) ?? throw new FormatException(problem);

    private static string? Check(IReadOnlyList<string> segments)
    {
        if (segments.Count == 0 || segments is [""]) return "an asset path needs at least one segment";
        if (segments.Count > MaxSegments) return $"an asset path has at most {MaxSegments} segments";
        if (segments.Sum(s => s.Length + 1) > MaxLength) return $"an asset path has at most {MaxLength} characters";
        foreach (var segment in segments)
        {
            if (segment.Length == 0) return "empty path segment (two slashes in a row, or a trailing slash)";
            if (segment.Length > MaxSegmentLength) return $"a path segment has at most {MaxSegmentLength} characters";
            if (segment is "." or "..") return $"'{segment}' is not allowed as a path segment";
            if (segment == "-") return "'-' separates the path from selectors and cannot be a path segment";
            foreach (var c in segment)
                if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '~' or '-'))
                    return $"path segment '{Printable(segment)}' contains '{Printable(c.ToString())}'; allowed are A–Z a–z 0–9 _ . ~ -";
        }
        return null;
    }

    // Never echo control characters back into a response or a log line.
    private static string Printable(string text) =>
        string.Concat(text.Take(40).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    public override string ToString() => Value;
}
