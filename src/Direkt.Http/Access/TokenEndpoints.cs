using System.Text.Json;
using System.Text.Json.Serialization;
using Direkt.Assets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Direkt.Http.Access;

/// <summary>`POST /tokens` (API key): mints an upload token for a browser (docs/api.md#upload-tokens).</summary>
internal static class TokenEndpoints
{
    private const int MaxBodyBytes = 16 * 1024;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 4,
    };

    private sealed record TokenRequest(string? Path, long? ExpiresIn, long? MaxBytes, List<string>? Types);

    /// <summary>The answer's shape, for the OpenAPI document.</summary>
    private sealed record IssuedToken(string Token, string ExpiresAt);

    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/tokens", MintAsync).WithAccess(AccessRule.ApiKeyWrite)
            .WithName("MintUploadToken").WithSummary("Mint an upload token for a path or a /prefix/** pattern (API key)")
            .Accepts<TokenRequest>("application/json").Produces<IssuedToken>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return endpoints;
    }

    private static async Task<IResult> MintAsync(HttpContext context, UploadTokenIssuer issuer)
    {
        if (issuer.Tokens is null)
            throw AssetException.BadRequest("This server does not issue upload tokens: set auth.upload-tokens.secret-key.");
        if (!(context.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            throw new AssetException(AssetProblemKind.UnsupportedMediaType, "Unsupported media type",
                "POST /tokens takes application/json: {\"path\": \"/users/123/**\", \"expiresIn\": 600, \"maxBytes\": 5242880, \"types\": [\"image/jpeg\"]}.");
        var request = await ReadAsync(context);
        var errors = UploadTokenIssuer.Check(request.Path, request.ExpiresIn, request.MaxBytes, request.Types);
        if (errors.Count > 0) throw AssetException.BadRequest("The token request is invalid.", errors);
        var issued = issuer.Mint(request.Path!, request.ExpiresIn, request.MaxBytes, request.Types);
        var expiresAt = issued.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return Results.Json(new { token = issued.Token, expiresAt }, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<TokenRequest> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                throw AssetException.BadRequest($"The token request is larger than {MaxBodyBytes} bytes.");
            buffer.Write(chunk, 0, read);
        }
        try
        {
            return JsonSerializer.Deserialize<TokenRequest>(buffer.ToArray(), Options)
                ?? throw AssetException.BadRequest("The token request must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw AssetException.BadRequest("The token request is not valid JSON for {path, expiresIn, maxBytes, types}.",
                new Dictionary<string, string[]> { [e.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "body"] = [Shorten(e.Message)] });
        }
    }

    private static string Shorten(string text) => string.Concat(text.Split(" Path:")[0].Take(200).Select(c => char.IsControl(c) ? '?' : c));
}
