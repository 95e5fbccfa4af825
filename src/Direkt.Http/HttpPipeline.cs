using Direkt.Http.Assets;
using Direkt.Http.Observability;
using Direkt.Http.Observability.Stats;
using Direkt.Http.Observability.Status;
using Direkt.Http.OpenApi;
using Direkt.Http.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serilog;

namespace Direkt.Http;

/// <summary>Registers and wires the HTTP front end: request ids, one log line per request, problem+json for every failure.</summary>
public static class HttpPipeline
{
    public static IServiceCollection AddDirektHttp(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddSingleton<Access.UrlSigning>();
        services.AddSingleton<Draining>();
        services.AddSingleton<Access.UploadTokenIssuer>();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddDirektStats();
        services.AddSingleton<Observability.IStatsSection, Jobs.JobsStatsSection>();
        services.AddDirektOpenApi();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
        });
        return services;
    }

    public static WebApplication UseDirektHttp(this WebApplication app)
    {
        // First, so that its time covers the whole pipeline and it sees the final status.
        if (app.Services.GetService<IHttpRequestObserver>() is not null) app.UseMiddleware<RequestObservationMiddleware>();
        app.UseMiddleware<RequestIdMiddleware>();
        // This server's own logger (several servers may share a process), not the static one.
        app.UseMiddleware<RequestLogMiddleware>(app.Services.GetService<ILogger>() ?? Log.Logger);
        app.UseExceptionHandler();
        // Preflights are answered before routing and the access rules: they carry no signature and no key.
        var cors = new Cors.CorsRules(app.Services.GetRequiredService<Direkt.Configuration.Loading.DirektConfiguration>().Options.Http.Cors);
        if (cors.Enabled) app.UseMiddleware<Cors.CorsMiddleware>(cors);
        app.UseRouting(); // the access rules are endpoint metadata: routing runs first
        app.UseMiddleware<Access.AdminPortFilter>();
        app.UseMiddleware<Access.AccessControlMiddleware>();
        // Unknown routes and wrong methods get a problem body too, with Direkt's problem type.
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            var status = http.Response.StatusCode;
            var title = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
            await ProblemResults.WriteAsync(http, ProblemResults.Create(http, status, title,
                status == StatusCodes.Status404NotFound ? "No such endpoint." : $"{http.Request.Method} is not supported here."));
        });
        app.MapHealthEndpoints();
        app.MapAssetEndpoints();
        app.MapStatsEndpoints();
        app.MapStatusPage();
        Access.TokenEndpoints.MapTokenEndpoints(app);
        Jobs.JobEndpoints.MapJobEndpoints(app);
        app.MapDirektOpenApi();
        return app;
    }
}
