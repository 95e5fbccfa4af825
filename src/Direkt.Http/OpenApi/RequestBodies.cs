using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Direkt.Http.OpenApi;

/// <summary>
/// Request bodies for the OpenAPI document. Not `Accepts(…)`: routing enforces that metadata and would answer a body of
/// another type with a bare 415 before the handler can say what it takes (an upload is multipart or a JSON URL source).
/// </summary>
internal sealed class RequestBodies : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var bodies = context.Description.ActionDescriptor.EndpointMetadata.OfType<DescribedBody>().ToList();
        if (bodies.Count == 0) return;
        var content = new Dictionary<string, OpenApiMediaType>();
        foreach (var body in bodies)
            content[body.ContentType] = new OpenApiMediaType { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken) };
        operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
    }
}

/// <summary>Endpoint metadata: the route takes a body of <paramref name="Type"/> as <paramref name="ContentType"/> (documentation only).</summary>
public sealed record DescribedBody(Type Type, string ContentType);

public static class RequestBodyDescriptions
{
    /// <summary>Describes a request body in the OpenAPI document without making routing enforce its content type.</summary>
    public static RouteHandlerBuilder DescribesBody<T>(this RouteHandlerBuilder builder, string contentType) =>
        builder.WithMetadata(new DescribedBody(typeof(T), contentType));
}
