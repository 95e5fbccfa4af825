using System.Security.Cryptography;
using System.Text;

namespace Direkt.Client;

/// <summary>
/// URL signatures as the server checks them: <c>s</c> = unpadded Base64url of HMAC(secret, payload), where the payload is the
/// path as sent, then — only if there are parameters besides <c>s</c> — <c>?</c> and those parameters as sent, sorted by key
/// then value (ordinal), joined with <c>&amp;</c>.
/// </summary>
public sealed class UrlSigning
{
    private readonly byte[] _secret;
    private readonly string _algorithm;

    /// <param name="secretKey">url-signing.secret-key.</param>
    /// <param name="algorithm">hmac_sha256 (default), hmac_sha384 or hmac_sha512.</param>
    public UrlSigning(string secretKey, string algorithm = "hmac_sha256")
    {
        if (string.IsNullOrEmpty(secretKey)) throw new ArgumentException("the signing key is empty", nameof(secretKey));
        if (algorithm is not ("hmac_sha256" or "hmac_sha384" or "hmac_sha512"))
            throw new ArgumentException($"unknown signing algorithm '{algorithm}'", nameof(algorithm));
        _secret = Encoding.UTF8.GetBytes(secretKey);
        _algorithm = algorithm;
    }

    /// <summary>The signed string of a raw path and raw query (without '?'; null or empty for none).</summary>
    public static string Payload(string path, string? query)
    {
        var parts = (query ?? "").Split('&').Where(p => p.Length > 0 && Key(p) != "s")
            .OrderBy(Key, StringComparer.Ordinal).ThenBy(Value, StringComparer.Ordinal).ToList();
        return parts.Count == 0 ? path : path + "?" + string.Join("&", parts);
    }

    /// <summary>The signature <c>s</c> of a raw path and query.</summary>
    public string Signature(string path, string? query)
    {
        var payload = Encoding.UTF8.GetBytes(Payload(path, query));
        var mac = _algorithm switch
        {
            "hmac_sha384" => HMACSHA384.HashData(_secret, payload),
            "hmac_sha512" => HMACSHA512.HashData(_secret, payload),
            _ => HMACSHA256.HashData(_secret, payload),
        };
        return Base64Url.Encode(mac);
    }

    /// <summary>Appends <c>s</c> to a path with its query, or to an absolute http(s) URL (its path and query are signed as written).</summary>
    public string Sign(string url)
    {
        var (path, query) = Split(url);
        return $"{url}{(query is null ? "?" : "&")}s={Signature(path, query)}";
    }

    /// <summary>The raw path and query of a path or absolute URL, as written (no normalization).</summary>
    public static (string Path, string? Query) Split(string url)
    {
        var rest = url;
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            var slash = url.IndexOfAny(['/', '?', '#'], scheme + 3);
            rest = slash < 0 ? "/" : url[slash..];
            if (rest.StartsWith('?')) rest = "/" + rest;
        }
        var mark = rest.IndexOf('?');
        return mark < 0 ? (rest, null) : (rest[..mark], rest[(mark + 1)..]);
    }

    private static string Key(string part) => part.IndexOf('=') is var i and >= 0 ? part[..i] : part;
    private static string Value(string part) => part.IndexOf('=') is var i and >= 0 ? part[(i + 1)..] : "";
}

internal static class Base64Url
{
    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
