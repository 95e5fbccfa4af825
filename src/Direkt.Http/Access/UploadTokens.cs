using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Direkt.Http.Access;

/// <summary>Why a presented upload token was refused (each is a 401 with its own problem type).</summary>
public enum UploadTokenFailure { Malformed, Algorithm, Signature, Expired }

/// <summary>
/// Upload tokens: JWTs (RFC 7519 compact form) signed with HS256 under `auth.upload-tokens.secret-key` (its UTF-8 bytes), verified
/// without a database. <see cref="Mint"/> writes one fixed serialization, so the same claims always give the same token (the test
/// vectors in tests/vectors/upload-tokens.json rely on it): header `{"alg":"HS256","typ":"JWT"}`, payload compact JSON with the
/// keys in the order sub, exp, iat, max_bytes, types (absent ones left out), each part Base64url without padding.
/// <see cref="Verify"/> accepts any key order, insists on alg HS256 (never `none`), an integer `exp`, and compares the signature
/// in constant time; `exp` is honoured with <see cref="ClockSkew"/> of tolerance for clocks that disagree a little.
/// </summary>
public sealed class UploadTokens
{
    /// <summary>How far past `exp` a token is still taken (minting servers and this one need not agree to the second).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The shortest key accepted: 32 bytes, the output size of SHA-256 (RFC 7518 §3.2 requires at least that for HS256).</summary>
    public const int MinimumKeyBytes = 32;

    private const int MaxTokenLength = 8192;
    private static readonly string Header = Encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);
    private static readonly JsonWriterOptions Compact = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly byte[] _key;

    public UploadTokens(string secretKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        _key = Encoding.UTF8.GetBytes(secretKey);
        if (_key.Length < MinimumKeyBytes)
            throw new ArgumentException($"an upload token key needs at least {MinimumKeyBytes} bytes", nameof(secretKey));
    }

    /// <summary>True when the text has the shape of a compact JWT (three Base64url parts), so it is judged as a token, not as an API key.</summary>
    public static bool LooksLikeToken(string text) =>
        text.Length <= MaxTokenLength && text.Count(c => c == '.') == 2 && text.StartsWith("eyJ", StringComparison.Ordinal);

    public string Mint(UploadTokenClaims claims)
    {
        var payload = Encode(Payload(claims));
        var signingInput = Header + "." + payload;
        return signingInput + "." + Encode(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>The claims of a genuine, unexpired token; otherwise null and why.</summary>
    public UploadTokenClaims? Verify(string token, DateTimeOffset now, out UploadTokenFailure failure)
    {
        failure = UploadTokenFailure.Malformed;
        if (token.Length > MaxTokenLength) return null;
        var parts = token.Split('.');
        if (parts.Length != 3 || !TryDecode(parts[0], out var header)) return null;
        // The algorithm first: an unsigned `alg: none` token is refused as such, whatever its (empty) signature part holds.
        if (!IsHs256(header, out var wellFormed))
        {
            failure = wellFormed ? UploadTokenFailure.Algorithm : UploadTokenFailure.Malformed;
            return null;
        }
        if (!TryDecode(parts[1], out var payload) || !TryDecode(parts[2], out var signature)) return null;
        var expected = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(token.AsSpan(0, parts[0].Length + 1 + parts[1].Length).ToString()));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            failure = UploadTokenFailure.Signature;
            return null;
        }
        var claims = ReadClaims(payload);
        if (claims is null) return null;
        if (now.ToUnixTimeSeconds() >= claims.ExpiresAt + (long)ClockSkew.TotalSeconds)
        {
            failure = UploadTokenFailure.Expired;
            return null;
        }
        return claims;
    }

    /// <summary>The payload's exact bytes: compact JSON, keys sub, exp, iat, max_bytes, types, absent ones left out.</summary>
    public static byte[] Payload(UploadTokenClaims claims)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Compact))
        {
            json.WriteStartObject();
            json.WriteString("sub", claims.Subject);
            json.WriteNumber("exp", claims.ExpiresAt);
            if (claims.IssuedAt is { } iat) json.WriteNumber("iat", iat);
            if (claims.MaxBytes is { } maxBytes) json.WriteNumber("max_bytes", maxBytes);
            if (claims.Types is { } types)
            {
                json.WriteStartArray("types");
                foreach (var type in types) json.WriteStringValue(type);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static bool IsHs256(byte[] header, out bool wellFormed)
    {
        wellFormed = false;
        try
        {
            using var document = JsonDocument.Parse(header);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return false;
            wellFormed = true;
            // "none" and every other algorithm are refused: the server knows exactly one way to check a token.
            return document.RootElement.TryGetProperty("alg", out var alg) && alg.ValueKind == JsonValueKind.String
                && alg.GetString() == "HS256" && !document.RootElement.TryGetProperty("crit", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static UploadTokenClaims? ReadClaims(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (!root.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String) return null;
            if (UploadTokenClaims.CheckSubject(sub.GetString()!) is not null) return null;
            if (!root.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expiresAt)) return null;
            long? issuedAt = null, maxBytes = null;
            if (root.TryGetProperty("iat", out var iat))
                if (iat.TryGetInt64(out var i)) issuedAt = i; else return null;
            if (root.TryGetProperty("max_bytes", out var max))
                if (max.TryGetInt64(out var m) && m > 0) maxBytes = m; else return null;
            List<string>? types = null;
            if (root.TryGetProperty("types", out var list))
            {
                if (list.ValueKind != JsonValueKind.Array) return null;
                types = [];
                foreach (var item in list.EnumerateArray())
                    if (item.ValueKind == JsonValueKind.String) types.Add(item.GetString()!); else return null;
            }
            return new UploadTokenClaims(sub.GetString()!, expiresAt, issuedAt, maxBytes, types);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))) return false;
        try
        {
            bytes = System.Buffers.Text.Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
