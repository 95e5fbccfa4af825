using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Serilog.Events;
using Serilog.Parsing;

namespace Direkt.Http.Observability;

/// <summary>
/// One log line per request, written when its answer is complete: method, path, status, declared length, time, the variant
/// cache's word for it (hit, miss, collapsed) and the request id. Probes log at debug (they arrive every few seconds from
/// every load balancer), server errors at error. The event is built directly with a template parsed once, so the line
/// costs a hit little more than its own properties.
/// </summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, Serilog.ILogger logger)
{
    private static readonly MessageTemplate Template = new MessageTemplateParser().Parse(
        "{RequestMethod} {RequestPath} {StatusCode} {ResponseBytes} B {Elapsed:0.0} ms cache={CacheStatus} id={RequestId}");

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        catch (Exception e)
        {
            Write(context, started, e);
            throw;
        }
        Write(context, started, null);
    }

    private void Write(HttpContext context, long started, Exception? exception)
    {
        var status = exception is null ? context.Response.StatusCode : StatusCodes.Status500InternalServerError;
        var level = exception is not null || status >= 500 ? LogEventLevel.Error
            : IsProbe(context.Request.Path) ? LogEventLevel.Debug
            : LogEventLevel.Information;
        if (!logger.IsEnabled(level)) return;
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var response = context.Response;
        logger.Write(new LogEvent(DateTimeOffset.Now, level, exception, Template,
        [
            new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
            new LogEventProperty("RequestPath", new ScalarValue(LoggedText.Escape(context.Request.Path.Value ?? ""))),
            new LogEventProperty("StatusCode", new ScalarValue(status)),
            // The declared length: counting written bytes would need a body wrapper, which costs the file-sending path.
            new LogEventProperty("ResponseBytes", new ScalarValue(response.ContentLength)),
            new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
            new LogEventProperty("CacheStatus", new ScalarValue(CacheStatus(response.Headers["Cache-Status"].ToString()))),
            new LogEventProperty("RequestId", new ScalarValue(context.TraceIdentifier)),
        ]));
    }

    public static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/ready") || path.StartsWithSegments("/metrics")
        || path.StartsWithSegments("/stats"); // the status page polls it every second

    // The Cache-Status value of the content answer, in one word: hit, miss, collapsed (or "-" for other answers).
    private static string CacheStatus(string header) =>
        header.Length == 0 ? "-"
        : header.Contains("collapsed", StringComparison.Ordinal) ? "collapsed"
        : header.Contains("fwd=miss", StringComparison.Ordinal) ? "miss"
        : header.Contains("hit", StringComparison.Ordinal) ? "hit"
        : "-";
}
