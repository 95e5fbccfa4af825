using System.Security.Cryptography;
using System.Text;

namespace Direkt.Configuration.Loading;

/// <summary>
/// A short hash of the resolved configuration (file, includes, environment and defaults merged), so operators can tell
/// whether instances run the same settings. Keys are sorted, so the order in the file does not matter.
/// </summary>
public static class ConfigurationFingerprint
{
    public static string Of(DirektConfiguration configuration)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in configuration.Tree.Flatten().OrderBy(p => p.Key, StringComparer.Ordinal))
            text.Append(key).Append('=').Append(value).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12];
    }
}
