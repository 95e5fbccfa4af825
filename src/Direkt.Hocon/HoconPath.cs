namespace Direkt.Hocon;

/// <summary>Path expressions: dot-separated segments, where a quoted segment may contain dots.</summary>
internal static class HoconPath
{
    public static IReadOnlyList<string> Split(string path)
    {
        var segments = new List<string>();
        var current = new System.Text.StringBuilder();
        var i = 0;
        while (i < path.Length)
        {
            var c = path[i];
            if (c == '"')
            {
                var end = i + 1;
                var quoted = new System.Text.StringBuilder();
                while (end < path.Length && path[end] != '"')
                {
                    if (path[end] == '\\' && end + 1 < path.Length) end++;
                    quoted.Append(path[end]);
                    end++;
                }
                current.Append(quoted);
                i = end + 1;
            }
            else if (c == '.')
            {
                segments.Add(current.ToString().Trim());
                current.Clear();
                i++;
            }
            else
            {
                current.Append(c);
                i++;
            }
        }
        segments.Add(current.ToString().Trim());
        return segments;
    }

    public static string Join(IEnumerable<string> segments) =>
        string.Join('.', segments.Select(s => s.Length > 0 && s.All(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_') ? s : "\"" + s + "\""));
}
