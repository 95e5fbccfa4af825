using System.Text.Json.Nodes;
using Direkt.Assets.Transformations;
using Direkt.Http.Assets;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Direkt.Http.OpenApi;

/// <summary>
/// The fetch operation answers link, info or image bytes depending on the path, and takes the transformation parameters:
/// this transformer describes the query parameters from the one parameter table (<see cref="TransformationParser.ParameterDocumentation"/>)
/// and the three 200 shapes.
/// </summary>
internal sealed class FetchResponses : IOpenApiOperationTransformer
{
    /// <summary>Endpoint metadata that marks the fetch routes.</summary>
    public static readonly object Marker = new FetchMarker();

    private sealed record FetchMarker;

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.Contains(Marker)) return;
        operation.Description =
            "The path may end in /-/{what}/{how}: what = new (default), modified, entry/{id}; how = link (default), content, download, " +
            "redirect, info. Transformation parameters select a variant for content, download, redirect and link. Every other query " +
            "parameter filters by label (label:KEY=value for a reserved key).";
        operation.Parameters ??= [];
        foreach (var parameter in TransformationParser.ParameterDocumentation)
            operation.Parameters.Add(Query(parameter.Name, $"{parameter.Values}. Default: {parameter.Default}."));
        operation.Parameters.Add(Query("limit", "info only: how many assets (N ≥ 1, or -1 for all); a JSON array then"));
        operation.Parameters.Add(Query("s", "the URL signature when url-signing is enabled (see the urlSignature security scheme)"));

        var info = await context.GetOrCreateSchemaAsync(typeof(AssetRepresentations.AssetInfo), null, cancellationToken);
        var link = await context.GetOrCreateSchemaAsync(typeof(AssetRepresentations.Link), null, cancellationToken);
        var infoList = await context.GetOrCreateSchemaAsync(typeof(List<AssetRepresentations.AssetInfo>), null, cancellationToken);
        context.Document?.AddComponent("Link", link);
        context.Document?.AddComponent("AssetInfo", info);
        var ok = operation.Responses?["200"] as OpenApiResponse;
        if (ok is null) return;
        ok.Description = "link: the content URL (signed when signing is on), alt and placeholders; info: the asset information " +
            "(an array with limit); content/download/redirect: the image bytes, with ETag, Direkt-Alt and Direkt-LQIP-* headers";
        ok.Content ??= new Dictionary<string, OpenApiMediaType>();
        ok.Content["application/json"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                OneOf = [new OpenApiSchemaReference("Link", context.Document), new OpenApiSchemaReference("AssetInfo", context.Document), infoList],
            },
        };
        ok.Content["image/*"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
    }

    private static OpenApiParameter Query(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
