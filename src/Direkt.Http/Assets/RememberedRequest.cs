using Direkt.Assets;
using Microsoft.AspNetCore.Http;

namespace Direkt.Http.Assets;

/// <summary>
/// A content request's exact identity for <see cref="AssetVariants.Recall"/>: its path, query string and Accept header (which
/// may choose the format), with the hit remembered for it, and the mark taken before it is resolved afresh.
/// </summary>
internal sealed record RememberedRequest(string Key, long Mark, RememberedHit? Hit)
{
    public static RememberedRequest Of(HttpContext context, AssetVariants variants)
    {
        var request = context.Request;
        var key = string.Concat(request.Path.Value, request.QueryString.Value, "\n", request.Headers.Accept.ToString());
        var mark = variants.RememberMark; // before the recall: a change from here on keeps what this request resolves from being kept
        return new RememberedRequest(key, mark, variants.Recall(key));
    }
}
