using Direkt.Assets;
using Direkt.Configuration.Options;
using Direkt.Storage.Objects;
using Microsoft.AspNetCore.Http;

namespace Direkt.Http.Assets;

/// <summary>
/// `redirect` with strategy presigned or template (API.md §3): a 307 to where the object store serves the variant's bytes,
/// so they never pass through Direkt.
/// </summary>
internal static class StoreRedirect
{
    public static void Write(HttpContext context, RedirectPolicy policy, VariantAnswer answer, IPresignedObjectUrls presigner,
        string? cacheControl)
    {
        var variant = answer.Variant;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status307TemporaryRedirect;
        if (policy.Strategy == RedirectStrategy.Presigned)
        {
            // Start-up validation allows presigned only with the S3 store.
            response.Headers.Location = presigner.PresignGet(variant.StoreBucket, variant.StoreKey, policy.Presigned.Ttl).AbsoluteUri;
            // The target stops working when the signature expires; a shared cache must not hand it out after that.
            response.Headers.CacheControl = "private, no-store";
        }
        else
        {
            // A template URL is stable for this variant, so the path's caching policy applies to the redirect too.
            if (cacheControl is not null) response.Headers.CacheControl = cacheControl;
            response.Headers.Location = policy.Template.String!
                .Replace("{bucket}", Uri.EscapeDataString(variant.StoreBucket), StringComparison.Ordinal)
                .Replace("{key}", string.Join('/', variant.StoreKey.Split('/').Select(Uri.EscapeDataString)), StringComparison.Ordinal);
        }
        if (answer.Negotiated) response.Headers.Vary = "Accept";
        response.Headers["Cache-Status"] = ContentResponse.CacheStatus(answer);
    }
}
