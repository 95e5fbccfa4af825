using Direkt.Http.Problems;
using Microsoft.AspNetCore.Http;

namespace Direkt.Http.Cors;

/// <summary>
/// Answers CORS preflights (before routing and access checks: a preflight never carries a signature or a key) and adds the CORS
/// response headers to /assets and /tokens answers. The headers are added when the response starts, so error answers (which
/// the exception handler writes after clearing the headers) carry them too and a page can read the problem.
/// </summary>
internal sealed class CorsMiddleware(RequestDelegate next, CorsRules rules)
{
    private static readonly Func<object, Task> AddHeaders = state =>
    {
        var (context, allowed, vary) = ((HttpContext, string?, bool))state;
        var headers = context.Response.Headers;
        if (allowed is not null)
        {
            headers.AccessControlAllowOrigin = allowed;
            headers.AccessControlExposeHeaders = CorsRules.ExposedHeaders;
            headers["Timing-Allow-Origin"] = allowed;
        }
        if (vary) headers.Append("Vary", "Origin");
        return Task.CompletedTask;
    };

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!CorsRules.Applies(request.Path))
        {
            await next(context);
            return;
        }
        var origin = request.Headers.Origin.ToString();
        if (HttpMethods.IsOptions(request.Method) && origin.Length > 0 && request.Headers.AccessControlRequestMethod.Count > 0)
        {
            await PreflightAsync(context, origin, request.Headers.AccessControlRequestMethod.ToString());
            return;
        }
        var allowed = rules.AllowedOrigin(origin, request.Method);
        var vary = rules.VariesByOrigin(request.Method);
        if (allowed is not null || vary) context.Response.OnStarting(AddHeaders, (context, allowed, vary));
        await next(context);
    }

    private async Task PreflightAsync(HttpContext context, string origin, string method)
    {
        var headers = context.Response.Headers;
        headers.Vary = "Origin, Access-Control-Request-Method";
        var allowed = rules.AllowedOrigin(origin, method);
        if (allowed is null)
        {
            var why = CorsRules.IsWrite(method) ? "writes are open only to origins listed by name in http.cors.allowed-origins"
                : CorsRules.IsRead(method) ? "the origin is not in http.cors.allowed-origins"
                : $"{method} is not a method Direkt answers";
            await ProblemResults.WriteAsync(context, ProblemResults.Create(context, StatusCodes.Status403Forbidden, "Forbidden",
                $"CORS preflight refused for {Printable(origin)} ({Printable(method)}): {why}."));
            return;
        }
        var listed = rules.IsListed(origin);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        headers.AccessControlAllowOrigin = allowed;
        headers.AccessControlAllowMethods = listed ? CorsRules.AllMethods : CorsRules.ReadMethods;
        headers.AccessControlAllowHeaders = listed ? CorsRules.WriteHeaders : CorsRules.ReadHeaders;
        headers.AccessControlMaxAge = rules.MaxAgeSeconds;
    }

    private static string Printable(string text) => string.Concat(text.Take(100).Select(c => char.IsControl(c) ? '?' : c));
}
