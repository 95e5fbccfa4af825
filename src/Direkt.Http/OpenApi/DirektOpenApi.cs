using Direkt.Http.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Http.OpenApi;

/// <summary>
/// The OpenAPI document (`GET /openapi/v1.json`), generated from the mapped routes and their metadata: transformation
/// parameters from the parameter table, each route's access rule as a security requirement, problem+json answers.
/// </summary>
public static class DirektOpenApi
{
    public const string DocumentName = "v1";
    public const string Pattern = "/openapi/{documentName}.json";

    public static IServiceCollection AddDirektOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Direkt";
                document.Info.Description = "Direkt, a self-hosted image server: store originals at paths, fetch them or variants by URL (docs/api.md).";
                return Task.CompletedTask;
            });
            // GET and HEAD share a handler (and its name); operation ids must be unique.
            o.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.HttpMethod == HttpMethods.Head && operation.OperationId is { } id) operation.OperationId = id + "Head";
                return Task.CompletedTask;
            });
            // Null values are left out of the JSON (JsonIgnoreCondition.WhenWritingNull): a nullable property is optional.
            o.AddSchemaTransformer((schema, context, _) =>
            {
                if (schema.Required is { Count: > 0 } required)
                    foreach (var property in context.JsonTypeInfo.Properties)
                        if (property.IsGetNullable) required.Remove(property.Name);
                return Task.CompletedTask;
            });
            o.AddOperationTransformer<FetchResponses>();
            o.AddOperationTransformer<RequestBodies>();
            o.AddOperationTransformer<AccessSecurity>();
            o.AddDocumentTransformer<AccessSecurity>();
            o.AddDocumentTransformer<RequestDelegateRoutes>();
        });

    public static IEndpointRouteBuilder MapDirektOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(Pattern).WithAccess(AccessRule.Open);
        return endpoints;
    }

    /// <summary>Declares the problem+json answers a route may give (schema: ProblemDetails).</summary>
    public static RouteHandlerBuilder DescribeProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses) builder.ProducesProblem(status);
        return builder;
    }
}

/// <summary>The multipart body of an upload, as the OpenAPI document describes it (MultipartUpload reads it by hand).</summary>
public sealed class UploadForm
{
    /// <summary>The image (any supported format; the type is detected from the bytes).</summary>
    public required IFormFile Asset { get; init; }
    /// <summary>Optional JSON: {"alt": "…", "labels": {"k": "v"}, "tags": ["t"]}.</summary>
    public string? Metadata { get; init; }
}

/// <summary>The JSON body of an update (and the metadata part of an upload).</summary>
public sealed record MetadataBody(string? Alt, IReadOnlyDictionary<string, string>? Labels, IReadOnlyList<string>? Tags);

/// <summary>The JSON body of an upload from a URL source: the server fetches `url` (only from allowed domains).</summary>
public sealed record UrlSourceBody(string Url, string? Alt, IReadOnlyDictionary<string, string>? Labels, IReadOnlyList<string>? Tags);
