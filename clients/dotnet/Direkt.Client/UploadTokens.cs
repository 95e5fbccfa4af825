using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Direkt.Client;

/// <summary>What an upload token allows: a path (or "/prefix/**"), an expiry, optionally a size limit and content types.</summary>
/// <param name="Sub">An asset path or a prefix pattern ending in "/**".</param>
/// <param name="Exp">Expiry, Unix seconds.</param>
/// <param name="Iat">Issued at, Unix seconds.</param>
/// <param name="MaxBytes">Upload size limit (413 past it).</param>
/// <param name="Types">Allowed sniffed content types (415 otherwise).</param>
public sealed record UploadTokenClaims(string Sub, long Exp, long? Iat = null, long? MaxBytes = null, IReadOnlyList<string>? Types = null);

/// <summary>
/// Mints upload tokens for browsers (a JWT with HS256 under auth.upload-tokens.secret-key): a back end holds the key and hands
/// a short-lived token to the page, which uploads with <c>Authorization: Bearer &lt;token&gt;</c>.
/// </summary>
public static class UploadTokens
{
    private const string Header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    /// <summary>A token for <paramref name="path"/> valid for <paramref name="lifetime"/> from <paramref name="now"/>.</summary>
    public static string Mint(string secretKey, string path, TimeSpan lifetime, long? maxBytes = null, IReadOnlyList<string>? types = null,
        DateTimeOffset? now = null)
    {
        var issued = (now ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        return Sign(secretKey, new UploadTokenClaims(path, issued + (long)lifetime.TotalSeconds, issued, maxBytes, types is { Count: > 0 } ? types : null));
    }

    /// <summary>The compact JWT of the claims: keys in the order sub, exp, iat, max_bytes, types, absent ones left out.</summary>
    public static string Sign(string secretKey, UploadTokenClaims claims)
    {
        if (string.IsNullOrEmpty(secretKey)) throw new ArgumentException("the upload-token secret key is empty", nameof(secretKey));
        var signingInput = Part(Header) + "." + Part(Payload(claims));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(signingInput));
        return signingInput + "." + Base64Url.Encode(mac);
    }

    /// <summary>The payload JSON exactly as signed (compact).</summary>
    public static string Payload(UploadTokenClaims claims)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("sub", claims.Sub);
            json.WriteNumber("exp", claims.Exp);
            if (claims.Iat is { } iat) json.WriteNumber("iat", iat);
            if (claims.MaxBytes is { } max) json.WriteNumber("max_bytes", max);
            if (claims.Types is { } types)
            {
                json.WriteStartArray("types");
                foreach (var type in types) json.WriteStringValue(type);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Part(string json) => Base64Url.Encode(Encoding.UTF8.GetBytes(json));
}
