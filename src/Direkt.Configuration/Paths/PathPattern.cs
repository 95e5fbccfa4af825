namespace Direkt.Configuration.Paths;

/// <summary>
/// A `paths` pattern from direkt.conf: literal segments, `*` (exactly one segment) and `**` (zero or more segments),
/// e.g. "/users/*/avatar" or "/products/**".
/// </summary>
public sealed class PathPattern
{
    private const string AnySegments = "**";
    private const string OneSegment = "*";

    private PathPattern(string text, string[] segments)
    {
        Text = text;
        Segments = segments;
        Literals = segments.Count(s => s is not (AnySegments or OneSegment));
        Wildcards = segments.Length - Literals;
        AnyWildcards = segments.Count(s => s is AnySegments);
    }

    public string Text { get; }
    public IReadOnlyList<string> Segments { get; }
    public int Literals { get; }
    public int Wildcards { get; }
    public int AnyWildcards { get; }

    public static bool TryParse(string text, out PathPattern? pattern, out string? problem)
    {
        pattern = null;
        if (!text.StartsWith('/'))
        {
            problem = "a path pattern starts with '/'";
            return false;
        }
        var segments = text.Length == 1 ? [] : text[1..].Split('/');
        foreach (var segment in segments)
        {
            if (segment is AnySegments or OneSegment) continue;
            if (segment.Length == 0) { problem = "empty segment ('//' or a trailing '/')"; return false; }
            if (segment.Contains('*')) { problem = $"segment '{segment}': wildcards stand alone as '*' or '**'"; return false; }
            if (segment is "." or ".." or "-" || segment.Any(c => !IsPathCharacter(c)))
            {
                problem = $"segment '{segment}' is not a valid path segment (letters, digits, '_', '.', '~', '-')";
                return false;
            }
        }
        pattern = new PathPattern(text, segments);
        problem = null;
        return true;
    }

    public bool Matches(IReadOnlyList<string> path) => MatchFrom(0, path, 0);

    private bool MatchFrom(int p, IReadOnlyList<string> path, int s)
    {
        if (p == Segments.Count) return s == path.Count;
        var segment = Segments[p];
        if (segment is AnySegments)
        {
            for (var skip = s; skip <= path.Count; skip++)
                if (MatchFrom(p + 1, path, skip)) return true;
            return false;
        }
        if (s == path.Count) return false;
        return (segment is OneSegment || segment == path[s]) && MatchFrom(p + 1, path, s + 1);
    }

    /// <summary>Orders patterns least specific first: more wildcards, then fewer literals, then more `**`.</summary>
    public static int CompareSpecificity(PathPattern a, PathPattern b)
    {
        var byWildcards = b.Wildcards.CompareTo(a.Wildcards);
        if (byWildcards != 0) return byWildcards;
        var byLiterals = a.Literals.CompareTo(b.Literals);
        if (byLiterals != 0) return byLiterals;
        return b.AnyWildcards.CompareTo(a.AnyWildcards);
    }

    /// <summary>True when some path matches both patterns.</summary>
    public static bool Overlap(PathPattern a, PathPattern b)
    {
        var memo = new Dictionary<(int, int), bool>();
        return OverlapFrom(a.Segments, 0, b.Segments, 0, memo);
    }

    private static bool OverlapFrom(IReadOnlyList<string> a, int i, IReadOnlyList<string> b, int j, Dictionary<(int, int), bool> memo)
    {
        if (memo.TryGetValue((i, j), out var known)) return known;
        bool result;
        if (i == a.Count && j == b.Count) result = true;
        else if (i < a.Count && a[i] is AnySegments)
            result = OverlapFrom(a, i + 1, b, j, memo) || (j < b.Count && OverlapFrom(a, i, b, j + 1, memo));
        else if (j < b.Count && b[j] is AnySegments)
            result = OverlapFrom(a, i, b, j + 1, memo) || (i < a.Count && OverlapFrom(a, i + 1, b, j, memo));
        else if (i < a.Count && j < b.Count && (a[i] is OneSegment || b[j] is OneSegment || a[i] == b[j]))
            result = OverlapFrom(a, i + 1, b, j + 1, memo);
        else result = false;
        memo[(i, j)] = result;
        return result;
    }

    /// <summary>A concrete path this pattern matches (`*` → "x", `**` → nothing), used to validate effective policies.</summary>
    public string ExamplePath() =>
        "/" + string.Join('/', Segments.Where(s => s is not AnySegments).Select(s => s is OneSegment ? "x" : s));

    private static bool IsPathCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '~' or '-';

    public override string ToString() => Text;
}
