using Direkt.Assets;
using Direkt.Storage.Records;
using Direkt.Variants;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Direkt.Http.Assets;

/// <summary>
/// Streams a stored variant to the client: `content`, `download` (with Content-Disposition) and HEAD, with validators
/// (ETag, Last-Modified), conditional answers (304), single byte ranges (206/416) and the path's Cache-Control. A hit is served
/// like a static file: header values come precomputed (<see cref="VariantHeaders"/>), request headers are parsed only when
/// conditional or range headers are present, a small variant comes from memory (<see cref="HotVariantCache"/>), and a larger
/// file of the local object store is handed to the server's file sending.
/// </summary>
internal static class ContentResponse
{
    public const string BlurhashHeader = "Direkt-LQIP-Blurhash";
    public const string ThumbhashHeader = "Direkt-LQIP-Thumbhash";
    /// <summary>Every placeholder header a content answer may carry (CORS exposes each).</summary>
    public static readonly string[] LqipHeaders = [BlurhashHeader, ThumbhashHeader];

    /// <summary>
    /// Writes the answer; false, with nothing sent yet, when the variant's object is missing (a DELETE or an expiry raced
    /// this request: the caller looks again).
    /// </summary>
    public static async Task<bool> TryWriteAsync(HttpContext context, AssetCatalog assets, AssetRecord record, VariantAnswer answer, bool download,
        string? cacheControl)
    {
        var request = context.Request;
        var response = context.Response;
        var variant = answer.Variant;
        var precomputed = VariantHeaders.For(record, variant);
        var headers = response.Headers;

        if (answer.Negotiated) headers.Vary = "Accept";
        headers["Cache-Status"] = CacheStatus(answer);
        headers.ETag = precomputed.ETag;
        headers.LastModified = precomputed.LastModifiedText;
        if (cacheControl is not null) headers.CacheControl = cacheControl;
        if (precomputed.EscapedAlt is { } alt) headers["Direkt-Alt"] = alt;
        if (variant.Lqip?.Blurhash is { } blurhash) headers[BlurhashHeader] = blurhash;
        if (variant.Lqip?.Thumbhash is { } thumbhash) headers[ThumbhashHeader] = thumbhash;
        // Pages isolated with COEP (require-corp) may embed Direkt's images from another origin.
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";

        // Typed parsing only for the requests that need it: a plain GET carries none of these headers.
        var conditional = request.Headers.IfNoneMatch.Count > 0 || request.Headers.IfModifiedSince.Count > 0 || request.Headers.Range.Count > 0;
        var typed = conditional ? request.GetTypedHeaders() : null;
        if (typed is not null && HttpCaching.IsNotModified(typed, precomputed.EntityTag, precomputed.LastModified))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return true;
        }

        var total = variant.Attributes.Bytes;
        var range = typed is null ? null : RangeAnswer.For(request, typed, precomputed.EntityTag, precomputed.LastModified, total);
        headers.AcceptRanges = "bytes";
        if (range is RangeAnswer.Unsatisfiable)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            headers.ContentRange = $"bytes */{total}";
            return true;
        }

        var part = range as RangeAnswer.Part;
        var (offset, length) = part is null ? (0L, total) : (part.Offset, part.Length);
        var (hot, bytes) = HttpMethods.IsHead(request.Method) ? (HotRead.NotKept, []) : await assets.ReadHotAsync(variant, context.RequestAborted);
        if (hot == HotRead.Missing) return false;
        var file = hot == HotRead.Found ? null : assets.LocalFile(variant);
        AssetContent? content = null;
        if (hot != HotRead.Found && file is null)
        {
            content = await assets.TryOpenAsync(variant, part is null ? null : (part.Offset, part.Length), context.RequestAborted);
            if (content is null) return false;
            length = content.Length;
        }
        await using (content)
        {
            response.StatusCode = part is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;
            if (part is not null) headers.ContentRange = $"bytes {part.Offset}-{part.Offset + part.Length - 1}/{total}";
            response.ContentType = precomputed.ContentType;
            response.ContentLength = length;
            headers.XContentTypeOptions = "nosniff";
            if (download) headers.ContentDisposition = Disposition(record, precomputed.Extension);
            if (HttpMethods.IsHead(request.Method)) return true;
            if (hot == HotRead.Found)
            {
                // A hit cache (or not-stored) variant: a memory copy, no file and no store.
                await response.Body.WriteAsync(bytes.AsMemory((int)offset, (int)length), context.RequestAborted);
                return true;
            }
            if (content is not null)
            {
                await content.Stream.CopyToAsync(response.Body, context.RequestAborted);
                return true;
            }
            try
            {
                await response.SendFileAsync(file!, offset, length, context.RequestAborted);
            }
            // Removed between the look and the open: nothing is sent until the file is open, so the caller can look again.
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException && !response.HasStarted)
            {
                headers.ContentRange = default;
                headers.ContentDisposition = default;
                return false;
            }
            return true;
        }
    }

    /// <summary>
    /// The RFC 9211 Cache-Status value of Direkt's own variant cache; a variant generated but not stored (past
    /// `limits.max-variants-per-asset`) has no `stored` and says why in `detail`.
    /// </summary>
    public static string CacheStatus(VariantAnswer answer) => (answer.Outcome, answer.Variant.UnstoredBytes is not null) switch
    {
        (CacheOutcome.Hit, _) => "direkt; hit",
        (CacheOutcome.Miss, false) => "direkt; fwd=miss; stored",
        (CacheOutcome.Miss, true) => "direkt; fwd=miss; detail=not-stored",
        (_, false) => "direkt; fwd=miss; collapsed",
        (_, true) => "direkt; fwd=miss; collapsed; detail=not-stored",
    };

    /// <summary>RFC 6266: an ASCII fallback plus the exact name in RFC 8187 encoding.</summary>
    private static string Disposition(AssetRecord record, string extension)
    {
        var name = record.Path[(record.Path.LastIndexOf('/') + 1)..] + "." + extension;
        var header = new ContentDispositionHeaderValue("attachment");
        header.SetHttpFileName(name);
        return header.ToString();
    }
}
