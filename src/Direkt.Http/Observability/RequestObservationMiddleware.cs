using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Direkt.Http.Observability;

/// <summary>Times each request and reports it with its route pattern and status to the <see cref="IHttpRequestObserver"/>.</summary>
internal sealed class RequestObservationMiddleware(RequestDelegate next, IHttpRequestObserver observer)
{
    public const string Unmatched = "unmatched";

    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            observer.Completed(Method(context.Request.Method), Route(context), context.Response.StatusCode, Stopwatch.GetElapsedTime(start));
        }
    }

    // The exception handler clears the endpoint before it writes the problem; it keeps the failed one in its feature.
    private static string Route(HttpContext context) =>
        (context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint) is RouteEndpoint { RoutePattern.RawText: { } pattern }
            ? pattern : Unmatched;

    private static string Method(string method) =>
        HttpMethods.IsGet(method) ? HttpMethods.Get
        : HttpMethods.IsHead(method) ? HttpMethods.Head
        : HttpMethods.IsPost(method) ? HttpMethods.Post
        : HttpMethods.IsPut(method) ? HttpMethods.Put
        : HttpMethods.IsDelete(method) ? HttpMethods.Delete
        : HttpMethods.IsOptions(method) ? HttpMethods.Options
        : HttpMethods.IsPatch(method) ? HttpMethods.Patch
        : "OTHER";
}
