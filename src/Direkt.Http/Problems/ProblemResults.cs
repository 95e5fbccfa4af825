using Direkt.Assets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Direkt.Http.Problems;

/// <summary>Builds RFC 9457 problem details with Direkt's stable problem types.</summary>
internal static class ProblemResults
{
    public const string ContentType = "application/problem+json";
    public const int RetryAfterSeconds = 5;

    public static int StatusOf(AssetProblemKind kind) => kind switch
    {
        AssetProblemKind.BadRequest => StatusCodes.Status400BadRequest,
        AssetProblemKind.NotFound => StatusCodes.Status404NotFound,
        AssetProblemKind.NotAcceptable => StatusCodes.Status406NotAcceptable,
        AssetProblemKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        AssetProblemKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        AssetProblemKind.UnprocessableContent => StatusCodes.Status422UnprocessableEntity,
        AssetProblemKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        AssetProblemKind.BadGateway => StatusCodes.Status502BadGateway,
        AssetProblemKind.GatewayTimeout => StatusCodes.Status504GatewayTimeout,
        AssetProblemKind.InsufficientStorage => StatusCodes.Status507InsufficientStorage,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ProblemDetails Create(HttpContext context, int status, string title, string detail,
        IReadOnlyDictionary<string, string[]>? errors = null, string? cause = null)
    {
        var problem = new ProblemDetails
        {
            Type = cause is null ? TypeOf(status) : TypePrefix + cause,
            Title = title,
            Status = status,
            Detail = detail,
            Instance = context.Request.Path.Value,
        };
        problem.Extensions["requestId"] = context.TraceIdentifier;
        if (errors is { Count: > 0 }) problem.Extensions["errors"] = errors;
        return problem;
    }

    /// <summary>Writes a problem response, adding Retry-After to every 503.</summary>
    public static async Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        var response = context.Response;
        response.StatusCode = problem.Status ?? 500;
        // The exception handler clears the response headers; the request id must survive on error answers too.
        response.Headers[Observability.RequestIdMiddleware.Header] = context.TraceIdentifier;
        if (response.StatusCode == StatusCodes.Status503ServiceUnavailable)
            response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        var writer = context.RequestServices.GetService(typeof(IProblemDetailsService)) as IProblemDetailsService;
        if (writer is not null && await writer.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
            return;
        await response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, ContentType);
    }

    public const string TypePrefix = "urn:direkt:problem:";

    public static string TypeOf(int status) => TypePrefix + status switch
    {
        400 => "bad-request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        406 => "not-acceptable",
        413 => "payload-too-large",
        415 => "unsupported-media-type",
        422 => "unprocessable-content",
        502 => "bad-gateway",
        503 => "unavailable",
        504 => "gateway-timeout",
        _ => status >= 500 ? "internal-error" : "client-error",
    };
}
