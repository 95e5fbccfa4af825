using System.Text.Json;
using Direkt.Assets.Transformations;
using Direkt.Http.Access;
using Direkt.Http.OpenApi;
using Direkt.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

/// <summary>/openapi/v1.json describes what the server really maps: every route, every parameter of the table, the JSON shapes.</summary>
public sealed class OpenApiTests
{
    private static async Task<(DirektTestServer Server, JsonElement Document)> DocumentAsync()
    {
        var server = await DirektTestServer.StartAsync();
        var response = await server.Client.GetAsync("/openapi/v1.json");
        response.EnsureSuccessStatusCode();
        return (server, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    [Fact]
    public async Task Every_mapped_route_and_method_is_described_with_its_access_rule()
    {
        var (server, document) = await DocumentAsync();
        await using var _ = server;
        var paths = document.GetProperty("paths");
        var routes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText != DirektOpenApi.Pattern)
            .ToList();
        routes.Should().HaveCountGreaterThan(5);

        foreach (var route in routes)
        {
            var path = OpenApiPaths.Of(route.RoutePattern);
            paths.TryGetProperty(path, out var item).Should().BeTrue($"{path} is mapped");
            var rule = route.Metadata.GetMetadata<AccessRequirement>()!.Rule;
            foreach (var method in route.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get])
            {
                item.TryGetProperty(method.ToLowerInvariant(), out var operation).Should().BeTrue($"{method} {path} is mapped");
                var security = operation.GetProperty("security").EnumerateArray()
                    .Select(r => string.Join("+", r.EnumerateObject().Select(p => p.Name))).ToList();
                var expected = new List<string> { rule switch { AccessRule.Open => "", AccessRule.SignedRead => "urlSignature", _ => "apiKey" } };
                if (route.Metadata.GetMetadata<AcceptsUploadTokensMarker>() is not null) expected.Add("uploadToken");
                security.Should().Equal(expected, $"{method} {path} is {rule}");
            }
        }
        paths.GetProperty("/metrics").GetProperty("get").GetProperty("security")[0].EnumerateObject().Should().BeEmpty();
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        schemes.GetProperty("apiKey").GetProperty("scheme").GetString().Should().Be("bearer");
        schemes.GetProperty("urlSignature").GetProperty("name").GetString().Should().Be("s");
        schemes.GetProperty("uploadToken").GetProperty("bearerFormat").GetString().Should().Be("JWT");
        paths.GetProperty("/assets/{rest}").GetProperty("post").GetProperty("security").GetArrayLength().Should().Be(2, "an API key or an upload token");
        paths.GetProperty("/tokens").GetProperty("post").GetProperty("responses").GetProperty("201").GetProperty("content")
            .GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString().Should().Be("#/components/schemas/IssuedToken");
    }

    [Fact]
    public async Task The_fetch_route_takes_every_parameter_of_the_table_and_answers_link_info_or_bytes()
    {
        var (server, document) = await DocumentAsync();
        await using var _ = server;
        var fetch = document.GetProperty("paths").GetProperty("/assets/{rest}").GetProperty("get");

        var names = fetch.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        names.Should().Contain(TransformationParser.ParameterNames).And.Contain(["limit", "s"]);
        var width = fetch.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "w");
        width.GetProperty("in").GetString().Should().Be("query");
        width.GetProperty("description").GetString().Should().Contain("limits.max-output-dimension");

        var ok = fetch.GetProperty("responses").GetProperty("200").GetProperty("content");
        var shapes = ok.GetProperty("application/json").GetProperty("schema").GetProperty("oneOf").EnumerateArray()
            .Select(s => s.TryGetProperty("$ref", out var r) ? r.GetString() : s.GetProperty("type").GetString()).ToList();
        shapes.Should().Equal("#/components/schemas/Link", "#/components/schemas/AssetInfo", "array");
        ok.TryGetProperty("image/*", out var _).Should().BeTrue();
        fetch.GetProperty("responses").GetProperty("404").GetProperty("content").GetProperty("application/problem+json")
            .GetProperty("schema").GetProperty("$ref").GetString().Should().Be("#/components/schemas/ProblemDetails");
    }

    [Fact]
    public async Task Info_link_and_problem_schemas_name_the_fields_the_server_writes()
    {
        var (server, document) = await DocumentAsync();
        await using var _ = server;
        var schemas = document.GetProperty("components").GetProperty("schemas");

        Properties(schemas, "AssetInfo").Should().Contain(["class", "path", "entryId", "alt", "labels", "tags", "variants", "createdAt", "modifiedAt"]);
        Properties(schemas, "Link").Should().BeEquivalentTo(["url", "alt", "lqip"]);
        Properties(schemas, "LqipInfo").Should().BeEquivalentTo(["blurhash", "thumbhash"]);
        Properties(schemas, "ProblemDetails").Should().Contain(["type", "title", "status", "detail", "instance"]);
        // alt is left out of the JSON when there is none: not required.
        schemas.GetProperty("Link").GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("url");

        // The upload's operation names its multipart body and answers with the asset information.
        var store = document.GetProperty("paths").GetProperty("/assets/{rest}").GetProperty("post");
        store.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out var _).Should().BeTrue();
        store.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema")
            .GetProperty("$ref").GetString().Should().Be("#/components/schemas/AssetInfo");
    }

    private static List<string> Properties(JsonElement schemas, string name) =>
        schemas.GetProperty(name).GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
}
