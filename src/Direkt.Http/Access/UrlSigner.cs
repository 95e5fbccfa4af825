using System.Security.Cryptography;
using System.Text;

namespace Direkt.Http.Access;

/// <summary>
/// URL signatures (API.md §7): `s` is the unpadded URL-safe Base64 of HMAC(secret, payload), where the payload is the path as
/// sent, then — only if there are query parameters besides `s` — `?` and those parameters sorted by key then value (ordinal
/// comparison of the percent-encoded forms as sent), joined with `&`. Applications sign with <see cref="Sign"/> or the
/// `Direkt sign` command; the server checks with <see cref="Verify"/> in constant time.
/// </summary>
public sealed class UrlSigner
{
    private readonly byte[] _secret;
    private readonly HashAlgorithmName _algorithm;

    /// <param name="algorithm">hmac_sha256, hmac_sha384 or hmac_sha512 (url-signing.algorithm).</param>
    public UrlSigner(string secretKey, string algorithm)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        _secret = Encoding.UTF8.GetBytes(secretKey);
        _algorithm = algorithm switch
        {
            "hmac_sha256" => HashAlgorithmName.SHA256,
            "hmac_sha384" => HashAlgorithmName.SHA384,
            "hmac_sha512" => HashAlgorithmName.SHA512,
            _ => throw new ArgumentException($"unknown signing algorithm '{algorithm}'", nameof(algorithm)),
        };
    }

    /// <summary>The signed string for a path and a raw query (without the leading `?`; `s` is left out wherever it is).</summary>
    public static string Payload(string rawPath, string? rawQuery)
    {
        var parameters = (rawQuery ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => (Part: part, Key: KeyOf(part), Value: ValueOf(part)))
            .Where(p => p.Key != "s")
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Part)
            .ToList();
        return parameters.Count == 0 ? rawPath : rawPath + "?" + string.Join('&', parameters);
    }

    public string Signature(string rawPath, string? rawQuery) =>
        Base64Url(Hmac(Encoding.UTF8.GetBytes(Payload(rawPath, rawQuery))));

    /// <summary>Appends `s` to a path with an optional query ("/assets/a/-/content?w=10"), or to an absolute URL's path and query.</summary>
    public string Sign(string url)
    {
        var absolute = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        var pathAndQuery = absolute ? uri!.PathAndQuery : url;
        var (path, query) = Split(pathAndQuery);
        var signed = $"{pathAndQuery}{(query is null ? "?" : "&")}s={Signature(path, query)}";
        return absolute ? uri!.GetLeftPart(UriPartial.Authority) + signed : signed;
    }

    /// <summary>True when the query's `s` (exactly one) is the signature of this path and query.</summary>
    public bool Verify(string rawPath, string? rawQuery)
    {
        var given = (rawQuery ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => KeyOf(p) == "s").ToList();
        if (given.Count != 1 || !TryDecodeBase64Url(ValueOf(given[0]), out var provided)) return false;
        var expected = Hmac(Encoding.UTF8.GetBytes(Payload(rawPath, rawQuery)));
        return CryptographicOperations.FixedTimeEquals(expected, provided);
    }

    public static (string Path, string? Query) Split(string pathAndQuery)
    {
        var mark = pathAndQuery.IndexOf('?');
        return mark < 0 ? (pathAndQuery, null) : (pathAndQuery[..mark], pathAndQuery[(mark + 1)..]);
    }

    private byte[] Hmac(byte[] payload) => _algorithm.Name switch
    {
        "SHA384" => HMACSHA384.HashData(_secret, payload),
        "SHA512" => HMACSHA512.HashData(_secret, payload),
        _ => HMACSHA256.HashData(_secret, payload),
    };

    private static string KeyOf(string part) => part.IndexOf('=') is var i and >= 0 ? part[..i] : part;
    private static string ValueOf(string part) => part.IndexOf('=') is var i and >= 0 ? part[(i + 1)..] : "";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecodeBase64Url(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length is 0 or > 200 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))) return false;
        var padded = text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - text.Length % 4) % 4);
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
