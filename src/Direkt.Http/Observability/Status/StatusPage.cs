using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Direkt.Http.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Direkt.Http.Observability.Status;

/// <summary>
/// GET /status: one self-contained HTML page (embedded in this assembly; no external assets) that polls the relative URL
/// <c>stats</c> every second and shows it. Its inline style and script are allowed by their SHA-256 in a strict
/// Content-Security-Policy, so the page runs nothing else and talks only to its own origin.
/// </summary>
public static partial class StatusPage
{
    private static readonly byte[] Html = Load();
    private static readonly string Policy = ContentSecurityPolicy(Encoding.UTF8.GetString(Html));

    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/status", [HttpMethods.Get, HttpMethods.Head], WriteAsync).WithAccess(AccessRule.Open).OnAdminPort();
        return endpoints;
    }

    private static async Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = Html.Length;
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = Policy;
        response.Headers.XContentTypeOptions = "nosniff";
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await response.Body.WriteAsync(Html, context.RequestAborted);
    }

    private static byte[] Load()
    {
        using var stream = typeof(StatusPage).Assembly.GetManifestResourceStream("Direkt.Http.status.html")
            ?? throw new InvalidOperationException("the status page is not embedded in Direkt.Http");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Allows exactly the page's one style element and one script element, by hash; fetches only from its origin.</summary>
    internal static string ContentSecurityPolicy(string html)
    {
        static string Hash(Match m) => "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value))) + "'";
        var style = StyleElement().Match(html);
        var script = ScriptElement().Match(html);
        if (!style.Success || !script.Success) throw new InvalidOperationException("the status page needs one <style> and one <script> element");
        return $"default-src 'none'; style-src {Hash(style)}; script-src {Hash(script)}; connect-src 'self'; img-src data:; " +
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptElement();
}
