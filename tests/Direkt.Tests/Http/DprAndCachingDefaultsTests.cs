using System.Net;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>`dpr` through HTTP, and the Cache-Control defaults per kind of URL and their overrides (docs/api.md#caching-headers).</summary>
public sealed class DprAndCachingDefaultsTests
{
    private static string CacheControl(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("Cache-Control", out var values) ? values.ToString() : "";

    [Fact]
    public async Task W_with_dpr_is_the_same_variant_as_the_multiplied_w()
    {
        await using var server = await DirektTestServer.StartAsync();
        (await server.Client.PostAsync("/d/photo", TestImages.Jpeg(400, 300))).StatusCode.Should().Be(HttpStatusCode.Created);

        var doubled = await server.Client.GetAsync("/assets/d/photo/-/content?w=100&dpr=2&format=png");
        var plain = await server.Client.GetAsync("/assets/d/photo/-/content?w=200&format=png");
        var half = await server.Client.GetAsync("/assets/d/photo/-/content?h=101&dpr=1.5&format=png");

        doubled.StatusCode.Should().Be(HttpStatusCode.OK);
        doubled.Headers.GetValues("Cache-Status").Single().Should().Contain("fwd=miss");
        plain.Headers.GetValues("Cache-Status").Single().Should().Be("direkt; hit", "w=200 is the variant w=100&dpr=2 made");
        plain.Headers.ETag.Should().Be(doubled.Headers.ETag);
        (await plain.Content.ReadAsByteArrayAsync()).Should().Equal(await doubled.Content.ReadAsByteArrayAsync());
        Pixels.Size(await doubled.Content.ReadAsByteArrayAsync()).Should().Be((200, 150));
        Pixels.Size(await half.Content.ReadAsByteArrayAsync()).Height.Should().Be(152, "101 × 1.5 = 151.5, rounded half up");

        var link = await (await server.Client.GetAsync("/assets/d/photo?w=100&dpr=2")).JsonAsync();
        link.GetProperty("url").GetString().Should().EndWith("/-/entry/0/content?w=200", "links carry the canonical query");
        var tooLarge = await server.Client.GetAsync("/assets/d/photo/-/content?w=3000&dpr=3");
        tooLarge.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await tooLarge.JsonAsync()).GetProperty("errors").GetProperty("dpr").EnumerateArray().Should().ContainSingle();
        (await server.Client.GetAsync("/assets/d/photo/-/content?dpr=2")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await server.Client.GetAsync("/assets/d/photo/-/content?w=10&dpr=3.3")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Entry_urls_are_immutable_for_a_year_and_selector_urls_revalidate_after_a_minute()
    {
        await using var server = await DirektTestServer.StartAsync();
        await server.Client.PostAsync("/cc/photo", TestImages.Jpeg(40, 30));

        foreach (var url in new[] { "/assets/cc/photo/-/entry/0/content", "/assets/cc/photo/-/entry/0/content?w=20",
                     "/assets/cc/photo/-/entry/0/download" })
            CacheControl(await server.Client.GetAsync(url)).Should().Be("public, max-age=31536000, immutable", url);
        foreach (var url in new[] { "/assets/cc/photo/-/content", "/assets/cc/photo/-/new/content?w=20", "/assets/cc/photo/-/modified/content" })
            CacheControl(await server.Client.GetAsync(url)).Should().Be("public, max-age=60, must-revalidate", url);

        var request = new HttpRequestMessage(HttpMethod.Get, "/assets/cc/photo/-/entry/0/content");
        request.Headers.IfNoneMatch.Add((await server.Client.GetAsync("/assets/cc/photo/-/entry/0/content")).Headers.ETag!);
        var notModified = await server.Client.SendAsync(request);
        notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);
        CacheControl(notModified).Should().Be("public, max-age=31536000, immutable");
    }

    [Fact]
    public async Task Entry_and_selector_blocks_override_each_kind_and_the_old_single_value_still_applies_to_both()
    {
        await using var server = await DirektTestServer.StartAsync("""
            paths {
              "/blocks/**" { cache-control {
                entry { max-age = 86400, immutable = false, s-maxage = 604800 }
                selector { enabled = false }
              } }
              "/private/**" { cache-control.entry { visibility = private, max-age = 600, immutable = false } }
              "/legacy/**" { cache-control { enabled = true, visibility = public, max-age = 3600, stale-if-error = 60 } }
              "/off/**" { cache-control.enabled = false }
            }
            """);
        foreach (var path in new[] { "/blocks/a", "/private/a", "/legacy/a", "/off/a" })
            await server.Client.PostAsync(path, TestImages.Jpeg(20, 20));

        async Task<string> Get(string url) => CacheControl(await server.Client.GetAsync(url));
        (await Get("/assets/blocks/a/-/entry/0/content")).Should().Be("public, max-age=86400, s-maxage=604800");
        (await Get("/assets/blocks/a/-/content")).Should().BeEmpty("selector.enabled = false");
        (await Get("/assets/private/a/-/entry/0/content")).Should().Be("private, max-age=600");
        (await Get("/assets/private/a/-/content")).Should().Be("public, max-age=60, must-revalidate", "selector keeps the default");
        (await Get("/assets/legacy/a/-/entry/0/content")).Should().Be("public, max-age=3600, stale-if-error=60");
        (await Get("/assets/legacy/a/-/content")).Should().Be("public, max-age=3600, stale-if-error=60");
        (await Get("/assets/off/a/-/entry/0/content")).Should().BeEmpty("the old enabled = false still turns the header off");
        (await Get("/assets/off/a/-/content")).Should().BeEmpty();
    }
}
