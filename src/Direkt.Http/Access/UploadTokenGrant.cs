using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Direkt.Http.Access;

/// <summary>
/// A request feature: this request is authorized by an upload token, within these claims. The store endpoint reads it to limit
/// the image's bytes (`max_bytes`) and sniffed type (`types`).
/// </summary>
public sealed record UploadTokenGrant(UploadTokenClaims Claims);

/// <summary>Endpoint metadata: an <see cref="AccessRule.ApiKeyWrite"/> route that also takes upload tokens (POST and PUT of assets).</summary>
internal sealed record AcceptsUploadTokensMarker;

public static class UploadTokenRoutes
{
    /// <summary>Lets upload tokens authorize this write route for the asset paths their subject covers.</summary>
    public static TBuilder AcceptsUploadTokens<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AcceptsUploadTokensMarker());

    /// <summary>The grant of the request's upload token, or null when the request carries none (an API key, or no keys set).</summary>
    public static UploadTokenGrant? UploadTokenGrant(this HttpContext context) => context.Features.Get<UploadTokenGrant>();
}
