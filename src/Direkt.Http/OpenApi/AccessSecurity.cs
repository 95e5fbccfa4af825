using Direkt.Http.Access;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Direkt.Http.OpenApi;

/// <summary>
/// Each operation's <see cref="AccessRule"/> as an OpenAPI security requirement: open routes an empty requirement (anyone),
/// signed reads the `urlSignature` scheme (the `s` query parameter), writes the `apiKey` bearer scheme, or an `uploadToken`
/// where the route accepts upload tokens.
/// </summary>
internal sealed class AccessSecurity : IOpenApiOperationTransformer, IOpenApiDocumentTransformer
{
    public const string ApiKey = "apiKey";
    public const string UrlSignature = "urlSignature";
    public const string UploadToken = "uploadToken";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var rule = metadata.OfType<AccessRequirement>().LastOrDefault()?.Rule;
        operation.Security = Requirements(rule, context.Document);
        // Either requirement suffices: the API key, or an upload token whose subject covers the path.
        if (metadata.OfType<AcceptsUploadTokensMarker>().Any()) operation.Security.Add(Requirement(UploadToken, context.Document));
        return Task.CompletedTask;
    }

    public static List<OpenApiSecurityRequirement> Requirements(AccessRule? rule, OpenApiDocument? document) => rule switch
    {
        AccessRule.Open => [new OpenApiSecurityRequirement()],
        AccessRule.SignedRead => [Requirement(UrlSignature, document)],
        AccessRule.ApiKeyWrite => [Requirement(ApiKey, document)],
        _ => throw new InvalidOperationException($"no OpenAPI security requirement for access rule {rule}"),
    };

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "Authorization: Bearer <key> with a key of auth.api-keys; required only when keys are configured.",
        };
        document.Components.SecuritySchemes[UploadToken] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "Authorization: Bearer <upload token>: an HS256 JWT under auth.upload-tokens.secret-key whose sub covers the path (docs/api.md#upload-tokens).",
        };
        document.Components.SecuritySchemes[UrlSignature] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Query,
            Name = "s",
            Description = "HMAC of the path and the sorted query (docs/signing.md); required only when url-signing.enabled.",
        };
        return Task.CompletedTask;
    }
}
