using System.Text;
using Direkt.Assets;
using Direkt.Storage.Records;
using Direkt.Variants;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Direkt.Http.Assets;

/// <summary>
/// Streams a stored variant to the client: `content`, `download` (with Content-Disposition) and HEAD, with validators
/// (ETag, Last-Modified), conditional answers (304), single byte ranges (206/416) and the path's Cache-Control.
/// </summary>
internal static class ContentResponse
{
    public static async Task WriteAsync(HttpContext context, AssetCatalog assets, AssetRecord record, VariantAnswer answer, bool download,
        string? cacheControl)
    {
        var request = context.Request;
        var response = context.Response;
        var headers = request.GetTypedHeaders();
        var etag = HttpCaching.EntityTag(record, answer.Variant);
        var lastModified = HttpCaching.LastModified(record, answer.Variant);

        if (answer.Negotiated) response.Headers.Vary = "Accept";
        response.Headers["Cache-Status"] = CacheStatus(answer.Outcome);
        response.Headers.ETag = etag.ToString();
        response.Headers.LastModified = HeaderUtilities.FormatDate(lastModified);
        if (cacheControl is not null) response.Headers.CacheControl = cacheControl;
        if (record.Alt is { } alt) response.Headers["Direkt-Alt"] = Uri.EscapeDataString(alt);
        if (answer.Variant.Lqip?.Blurhash is { } blurhash) response.Headers["Direkt-LQIP-Blurhash"] = blurhash;
        if (answer.Variant.Lqip?.Thumbhash is { } thumbhash) response.Headers["Direkt-LQIP-Thumbhash"] = thumbhash;
        if (HttpCaching.IsNotModified(headers, etag, lastModified))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var total = answer.Variant.Attributes.Bytes;
        var range = RangeAnswer.For(request, headers, etag, lastModified, total);
        response.Headers.AcceptRanges = "bytes";
        if (range is RangeAnswer.Unsatisfiable)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{total}";
            return;
        }

        var part = range as RangeAnswer.Part;
        await using var content = await assets.OpenAsync(answer.Variant, part is null ? null : (part.Offset, part.Length), context.RequestAborted);
        response.StatusCode = part is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;
        if (part is not null) response.Headers.ContentRange = $"bytes {part.Offset}-{part.Offset + part.Length - 1}/{total}";
        response.ContentType = content.MediaType;
        response.ContentLength = content.Length;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        if (download) response.Headers.ContentDisposition = Disposition(record, content.Extension);
        if (HttpMethods.IsHead(request.Method)) return;
        await content.Stream.CopyToAsync(response.Body, context.RequestAborted);
    }

    /// <summary>The RFC 9211 Cache-Status value of Direkt's own variant cache.</summary>
    public static string CacheStatus(CacheOutcome outcome) => outcome switch
    {
        CacheOutcome.Hit => "direkt; hit",
        CacheOutcome.Miss => "direkt; fwd=miss; stored",
        _ => "direkt; fwd=miss; collapsed",
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
