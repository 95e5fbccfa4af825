using Microsoft.AspNetCore.Http;
using Serilog.Context;

namespace Direkt.Http.Observability;

/// <summary>
/// Gives every request an id: the client's X-Request-Id when it is sane (≤ 128 visible ASCII characters), else a new one.
/// It is echoed in the response, used as the trace identifier and attached to every log line of the request.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = context.Request.Headers[Header].ToString();
        if (!IsAcceptable(requestId)) requestId = Guid.NewGuid().ToString("N");
        context.TraceIdentifier = requestId;
        context.Response.Headers[Header] = requestId;
        using (LogContext.PushProperty("RequestId", requestId))
            await next(context);
    }

    private static bool IsAcceptable(string id) =>
        id.Length is > 0 and <= 128 && id.All(c => c is > ' ' and < (char)127);
}
