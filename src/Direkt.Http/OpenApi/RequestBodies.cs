using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Direkt.Http.OpenApi;

/// <summary>A request body a route reads by hand, for the OpenAPI document (see <see cref="DirektOpenApi.DescribeBody{TBuilder, TBody}"/>).</summary>
internal sealed record DescribedBody(string ContentType, Type Type);

/// <summary>Writes each route's <see cref="DescribedBody"/> entries as the operation's request body, one media type each.</summary>
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
