using Direkt.Assets;
using Direkt.Configuration.Loading;

namespace Direkt.Http.Access;

/// <summary>A token just minted: the compact JWT and when it expires.</summary>
public sealed record IssuedUploadToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Mints and verifies upload tokens under `auth.upload-tokens` (read at start: `auth` needs a restart). Shared by the access
/// check, `POST /tokens` and the `token` command, so all three apply the same rules: the subject must be an asset path or a
/// "/**" prefix pattern, types must be image MIME types Direkt knows, the lifetime is capped by `max-lifetime`.
/// </summary>
public sealed class UploadTokenIssuer
{
    /// <summary>The lifetime when none is asked for (capped by max-lifetime like any other).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    private readonly TimeProvider _time;

    public UploadTokenIssuer(DirektConfiguration configuration, TimeProvider time)
    {
        var options = configuration.Options.Auth.UploadTokens;
        Tokens = options.SecretKey is { } key ? new UploadTokens(key) : null;
        MaxLifetime = options.MaxLifetime;
        _time = time;
    }

    /// <summary>Null while tokens are off (no secret key).</summary>
    public UploadTokens? Tokens { get; }

    public TimeSpan MaxLifetime { get; }

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// The problems of a token request, by field (empty when it can be minted). <paramref name="expiresIn"/> above max-lifetime is
    /// not a problem: it is capped.
    /// </summary>
    public static Dictionary<string, string[]> Check(string? path, long? expiresIn, long? maxBytes, IReadOnlyList<string>? types)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(path)) errors["path"] = ["is required: an asset path (/users/123/avatar) or a prefix pattern (/users/123/**)"];
        else if (UploadTokenClaims.CheckSubject(path) is { } problem) errors["path"] = [problem];
        if (expiresIn is <= 0) errors["expiresIn"] = ["must be a positive number of seconds"];
        if (maxBytes is <= 0) errors["maxBytes"] = ["must be a positive number of bytes"];
        if (types?.FirstOrDefault(t => !ContentTypePolicy.IsImageMimeType(t)) is { } unknown)
            errors["types"] = [$"'{Printable(unknown)}' is not an image type Direkt knows (image/jpeg, image/png, image/webp, image/avif, …)"];
        return errors;
    }

    /// <summary>Mints a token for request values already checked by <see cref="Check"/>; throws when tokens are off.</summary>
    public IssuedUploadToken Mint(string path, long? expiresIn, long? maxBytes, IReadOnlyList<string>? types)
    {
        var tokens = Tokens ?? throw new InvalidOperationException("auth.upload-tokens.secret-key is not set");
        var lifetime = expiresIn is { } seconds ? TimeSpan.FromSeconds(Math.Min(seconds, (long)MaxLifetime.TotalSeconds)) : DefaultLifetime;
        if (lifetime > MaxLifetime) lifetime = MaxLifetime;
        var now = DateTimeOffset.FromUnixTimeSeconds(Now.ToUnixTimeSeconds());
        var expiresAt = now + lifetime;
        var claims = new UploadTokenClaims(path, expiresAt.ToUnixTimeSeconds(), now.ToUnixTimeSeconds(), maxBytes, types);
        return new IssuedUploadToken(tokens.Mint(claims), expiresAt);
    }

    private static string Printable(string text) => string.Concat(text.Take(60).Select(c => char.IsControl(c) ? '?' : c));
}
