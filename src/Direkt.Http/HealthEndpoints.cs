using Direkt.Assets;
using Direkt.Http.Access;
using Direkt.Http.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Direkt.Http;

/// <summary>/health (the process serves) and /ready (the stores answer) for load balancers and orchestrators.</summary>
internal static class HealthEndpoints
{
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/health", [HttpMethods.Get, HttpMethods.Head], () => Results.Json(new { status = "ok" })).WithAccess(AccessRule.Open)
            .WithName("Health").WithSummary("The process serves: {\"status\":\"ok\"}");
        endpoints.MapMethods("/ready", [HttpMethods.Get, HttpMethods.Head], ReadyAsync).WithAccess(AccessRule.Open)
            .WithName("Ready").WithSummary("The stores answer: {\"status\":\"ready\"}, else 503 problem").ProducesProblem(503);
        endpoints.ServiceProvider.GetRequiredService<Draining>(); // listens for the stop signal from the start
        return endpoints;
    }

    private static async Task ReadyAsync(HttpContext context, AssetCatalog assets, ILoggerFactory loggers, Draining draining)
    {
        // Draining: from SIGTERM on, load balancers must stop sending work while the running work finishes.
        if (draining.IsDraining)
        {
            await ProblemResults.WriteAsync(context, ProblemResults.Create(context, 503, "Draining",
                "The server is shutting down: it finishes its running work and takes no new work.", cause: ProblemCauses.Draining));
            return;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(ReadinessTimeout);
        try
        {
            await assets.CheckStoresAsync(timeout.Token);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(HealthEndpoints)).LogWarning("Not ready: {Reason}", e.Message);
            await ProblemResults.WriteAsync(context, ProblemResults.Create(context, 503, "Not ready",
                "The object store or the asset records cannot be reached.", cause: ProblemCauses.NotReady));
            return;
        }
        await Results.Json(new { status = "ready" }).ExecuteAsync(context);
    }
}
