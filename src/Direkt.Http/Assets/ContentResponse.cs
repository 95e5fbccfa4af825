using System.Text;
using Direkt.Assets;
using Direkt.Storage.Records;
using Direkt.Variants;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Direkt.Http.Assets;

/// <summary>Streams a stored variant to the client: `content`, `download` (with Content-Disposition) and HEAD.</summary>
public static class ContentResponse
{
    public static async Task WriteAsync(HttpContext context, AssetService assets, AssetRecord record, VariantAnswer answer, bool download)
    {
        await using var content = await assets.OpenAsync(answer.Variant, context.RequestAborted);
        var response = context.Response;
        if (answer.Negotiated) response.Headers.Vary = "Accept";
        response.Headers["Cache-Status"] = CacheStatus(answer.Outcome);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = content.MediaType;
        response.ContentLength = content.Length;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        if (record.Alt is { } alt) response.Headers["Direkt-Alt"] = Uri.EscapeDataString(alt);
        if (download) response.Headers.ContentDisposition = Disposition(record, content.Extension);
        if (HttpMethods.IsHead(context.Request.Method)) return;
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
