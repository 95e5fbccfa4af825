namespace Direkt.Configuration.Loading;

/// <summary>Formats key paths the way operators write them in direkt.conf (dotted, quoting keys that need it).</summary>
internal static class ConfigurationKeys
{
    public static string Append(string parent, string key)
    {
        var written = NeedsQuotes(key) ? "\"" + key + "\"" : key;
        return parent.Length == 0 ? written : parent + "." + written;
    }

    private static bool NeedsQuotes(string key) =>
        key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
}
