using Direkt.Assets;
using Direkt.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Direkt.Http.Problems;

/// <summary>
/// Turns every exception into a problem+json answer: client mistakes with their own status, store outages as 503 with
/// Retry-After, anything unexpected as a 500 that carries the request id and never a stack trace or an internal path.
/// </summary>
internal sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted) return false;
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            context.Response.StatusCode = 499; // client closed the request; nobody reads this answer
            return true;
        }

        var problem = exception switch
        {
            AssetException e => ProblemResults.Create(context, ProblemResults.StatusOf(e.Kind), e.Title, e.Message, e.Errors, e.Cause),
            // Input the database refuses (a NUL, a value past a limit) is the request's fault, never a 500.
            StorageInputRejectedException e => ProblemResults.Create(context, 400, "Bad request", $"The request cannot be stored or searched: {e.Message}."),
            StorageUnavailableException => ProblemResults.Create(context, 503, "Storage unavailable",
                "The asset store cannot be reached right now. Retry later.", cause: ProblemCauses.StoreUnavailable),
            BadHttpRequestException e => ProblemResults.Create(context, e.StatusCode, ReasonOf(e.StatusCode),
                e.StatusCode == 413 ? "The request body is larger than the server accepts." : "The request is malformed.",
                cause: e.StatusCode == 413 ? ProblemCauses.UploadTooLarge : null),
            _ => null,
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = ProblemResults.Create(context, 500, "Internal error",
                $"The server failed to answer this request. Quote request id {context.TraceIdentifier} when reporting it.");
        }
        else if (exception is StorageUnavailableException)
            logger.LogWarning(exception, "Storage unavailable for {Method} {Path}", context.Request.Method, context.Request.Path);

        await ProblemResults.WriteAsync(context, problem);
        return true;
    }

    private static string ReasonOf(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Bad request";
}
