using Direkt.Http.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Direkt.Http.OpenApi;

/// <summary>
/// Routes mapped with a plain RequestDelegate (`/metrics` from prometheus-net) have no handler signature for the API explorer;
/// they are described here from their endpoint metadata (methods, summary, access rule), so every route is in the document.
/// </summary>
internal sealed class RequestDelegateRoutes : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var endpoints = context.ApplicationServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        document.Paths ??= [];
        foreach (var endpoint in endpoints)
        {
            // Handlers with a signature (MethodInfo) are the API explorer's; only plain request delegates are left to describe.
            if (endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>() is not null
                || endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true }) continue;
            var path = OpenApiPaths.Of(endpoint.RoutePattern);
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get];
            if (!document.Paths.TryGetValue(path, out var item)) document.Paths[path] = item = new OpenApiPathItem();
            var pathItem = (OpenApiPathItem)item;
            foreach (var method in methods)
            {
                var httpMethod = new HttpMethod(method);
                if (pathItem.Operations?.ContainsKey(httpMethod) == true) continue;
                pathItem.AddOperation(httpMethod, new OpenApiOperation
                {
                    Summary = endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary ?? endpoint.DisplayName,
                    Security = AccessSecurity.Requirements(endpoint.Metadata.GetMetadata<AccessRequirement>()?.Rule, document),
                    Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "OK" } },
                });
            }
        }
        return Task.CompletedTask;
    }
}

/// <summary>How a route pattern is written as an OpenAPI path (`/assets/{**rest}` → `/assets/{rest}`).</summary>
public static class OpenApiPaths
{
    public static string Of(Microsoft.AspNetCore.Routing.Patterns.RoutePattern pattern)
    {
        var text = "/" + (pattern.RawText ?? "").Trim('/');
        return text.Replace("{**", "{").Replace("{*", "{");
    }
}
