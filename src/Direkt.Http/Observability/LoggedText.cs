using System.Globalization;
using System.Text;

namespace Direkt.Http.Observability;

/// <summary>
/// Client-supplied text as it may appear in a log line: control characters (a decoded %0A in a path, say) are written as
/// \uXXXX, so a request can never forge or split log lines.
/// </summary>
internal static class LoggedText
{
    public static string Escape(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            if (char.IsControl(c)) escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else escaped.Append(c);
        return escaped.ToString();
    }
}
