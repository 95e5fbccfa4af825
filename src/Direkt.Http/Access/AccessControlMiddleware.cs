using System.Security.Cryptography;
using System.Text;
using Direkt.Configuration.Loading;
using Direkt.Http.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Direkt.Http.Access;

/// <summary>
/// Applies each route's <see cref="AccessRule"/>: with `auth.api-keys` set, <see cref="AccessRule.ApiKeyWrite"/> routes need
/// `Authorization: Bearer {key}` (401 otherwise), or an upload token where the route takes them (<see cref="UploadTokenCheck"/>); with `url-signing.enabled`, <see cref="AccessRule.SignedRead"/> routes need a valid
/// `s` (403 otherwise). Both comparisons take constant time. A route that declares no rule is refused: closed by default.
/// </summary>
internal sealed class AccessControlMiddleware(RequestDelegate next, UrlSigning signing, DirektConfiguration startup,
    UploadTokenIssuer uploadTokens, ILogger<AccessControlMiddleware> logger)
{
    // Keys are compared as SHA-256 digests, so neither the comparison time nor its length reveals anything about them.
    private readonly byte[][] _apiKeyDigests = startup.Options.Auth.ApiKeys
        .Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k))).ToArray();

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is not RouteEndpoint)
        {
            // No route, or the framework's own 405 endpoint: the status-code pages answer 404/405.
            await next(context);
            return;
        }
        switch (endpoint.Metadata.GetMetadata<AccessRequirement>()?.Rule)
        {
            case AccessRule.Open:
                break;
            case AccessRule.ApiKeyWrite:
                var bearer = Bearer(context.Request);
                if (bearer is not null && _apiKeyDigests.Length > 0 && IsApiKey(bearer)) break;
                // A JWT-shaped bearer is an upload token: judged as one, also where no API keys are set.
                if (bearer is not null && UploadTokens.LooksLikeToken(bearer))
                {
                    if (UploadTokenCheck.Authorize(context, bearer, uploadTokens) is { } refused)
                    {
                        await ProblemResults.WriteAsync(context, refused);
                        return;
                    }
                    break;
                }
                if (_apiKeyDigests.Length == 0) break;
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"direkt\"";
                await ProblemResults.WriteAsync(context, ProblemResults.Create(context, StatusCodes.Status401Unauthorized, "Unauthorized",
                    "This request changes assets and needs \"Authorization: Bearer <API key>\" with a key from auth.api-keys (or an upload token)."));
                return;
            case AccessRule.SignedRead when signing.Current is { } signer && !HasValidSignature(context, signer):
                await ProblemResults.WriteAsync(context, ProblemResults.Create(context, StatusCodes.Status403Forbidden, "Forbidden",
                    "URL signing is enabled: the query parameter s must be the signature of this URL (API.md §7)."));
                return;
            case AccessRule.SignedRead:
                break;
            case null:
                logger.LogError("Route {Route} declares no access rule; refused", endpoint.DisplayName);
                await ProblemResults.WriteAsync(context, ProblemResults.Create(context, StatusCodes.Status403Forbidden, "Forbidden",
                    "This route declares no access rule."));
                return;
        }
        await next(context);
    }

    private static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private bool IsApiKey(string bearer)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(bearer));
        var valid = false;
        foreach (var key in _apiKeyDigests) valid |= CryptographicOperations.FixedTimeEquals(digest, key);
        return valid;
    }

    // The signature covers the target as the client sent it (before any decoding or normalization).
    private static bool HasValidSignature(HttpContext context, UrlSigner signer)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https") target = absolute.PathAndQuery;
        var (path, query) = UrlSigner.Split(target);
        return signer.Verify(path, query);
    }
}
