using Direkt.Assets;
using Direkt.Http.Assets;
using Direkt.Http.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Direkt.Http.Access;

/// <summary>
/// Judges a Bearer upload token on a write route: genuine and unexpired (401 otherwise, or 401 when tokens are off), a route
/// that takes tokens and a method they allow — POST (a new asset, multipart only) and PUT (an asset's information) — and a path
/// the subject covers (403 otherwise). A request that passes carries an <see cref="UploadTokenGrant"/>.
/// </summary>
internal static class UploadTokenCheck
{
    /// <summary>Null when the request may go on (the grant is set); else the problem to answer.</summary>
    public static ProblemDetails? Authorize(HttpContext context, string token, UploadTokenIssuer issuer)
    {
        if (issuer.Tokens is not { } tokens)
            return Unauthorized(context, ProblemCauses.UploadTokensDisabled,
                "This server does not take upload tokens (auth.upload-tokens.secret-key is not set); use an API key.");
        if (tokens.Verify(token, issuer.Now, out var failure) is not { } claims)
            return failure == UploadTokenFailure.Expired
                ? Unauthorized(context, ProblemCauses.UploadTokenExpired, "The upload token has expired; ask your back end for a new one.")
                : Unauthorized(context, ProblemCauses.UploadTokenInvalid, failure switch
                {
                    UploadTokenFailure.Algorithm => "The upload token is not signed with HS256; no other algorithm (nor none) is accepted.",
                    UploadTokenFailure.Signature => "The upload token's signature is wrong (altered, or signed with another key).",
                    _ => "The upload token is malformed: a compact JWT with sub (an asset path) and exp is expected.",
                });

        var request = context.Request;
        var method = request.Method;
        if (context.GetEndpoint()?.Metadata.GetMetadata<AcceptsUploadTokensMarker>() is null
            || !(HttpMethods.IsPost(method) || HttpMethods.IsPut(method)))
            return Forbidden(context, $"An upload token allows POST and PUT of assets only, not {method} {request.Path}; use an API key.");
        if (HttpMethods.IsPost(method) && !(request.ContentType ?? "").StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
            return Forbidden(context, "An upload token allows multipart uploads only; URL sources (application/json) need an API key.");
        // A malformed address throws (400 from the problem handler), exactly as the endpoint itself would answer.
        var address = AssetAddress.Parse(AssetEndpoints.PathAfterPrefix(context), method);
        if (!claims.Covers(address.Path.Value))
            return Forbidden(context, $"The upload token covers {claims.Subject}, not {address.Path}.");
        context.Features.Set(new UploadTokenGrant(claims));
        return null;
    }

    private static ProblemDetails Unauthorized(HttpContext context, string cause, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"direkt\", error=\"invalid_token\"";
        return ProblemResults.Create(context, StatusCodes.Status401Unauthorized, "Unauthorized", detail, cause: cause);
    }

    private static ProblemDetails Forbidden(HttpContext context, string detail) =>
        ProblemResults.Create(context, StatusCodes.Status403Forbidden, "Forbidden", detail, cause: ProblemCauses.UploadTokenScope);
}
