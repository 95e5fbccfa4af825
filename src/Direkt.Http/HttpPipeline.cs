using Direkt.Http.Assets;
using Direkt.Http.Observability;
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
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
        });
        return services;
    }

    public static WebApplication UseDirektHttp(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseSerilogRequestLogging(o =>
        {
            o.MessageTemplate = "{RequestMethod} {RequestPath} {StatusCode} {Elapsed:0.0} ms id={RequestId}";
            o.GetMessageTemplateProperties = (context, path, elapsed, status) =>
            [
                new("RequestMethod", new Serilog.Events.ScalarValue(context.Request.Method)),
                new("RequestPath", new Serilog.Events.ScalarValue(LoggedText.Escape(path))),
                new("StatusCode", new Serilog.Events.ScalarValue(status)),
                new("Elapsed", new Serilog.Events.ScalarValue(elapsed)),
            ];
        });
        app.UseExceptionHandler();
        app.UseRouting(); // the access rules are endpoint metadata: routing runs first
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
        return app;
    }
}
