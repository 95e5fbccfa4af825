using System.Net;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>`redirect` with the presigned (S3) and template strategies: a 307 to where the store serves the bytes.</summary>
public sealed class RedirectTests
{
    private static HttpClient NotFollowing(DirektTestServer server) =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Client.BaseAddress };

    [Fact]
    public async Task Presigned_redirects_point_at_S3_and_the_signed_url_serves_the_variant()
    {
        await using var backends = await SharedBackends.CreateAsync();
        await using var server = await DirektTestServer.StartAsync(backends.Configuration + """

            paths { "/**" { return-format.redirect { strategy = presigned, presigned.ttl = 5m } } }
            """);
        using var client = NotFollowing(server);
        await server.Client.PostAsync("/r/photo", TestImages.Jpeg(400, 300));

        var redirect = await client.GetAsync("/assets/r/photo/-/redirect?w=40&format=png");
        var original = await client.GetAsync("/assets/r/photo/-/redirect");

        redirect.StatusCode.Should().Be(HttpStatusCode.TemporaryRedirect);
        redirect.Headers.CacheControl!.NoStore.Should().BeTrue("a presigned URL expires; shared caches must not keep it");
        var location = redirect.Headers.Location!;
        location.GetLeftPart(UriPartial.Authority).Should().Be(backends.Endpoint);
        location.Query.Should().Contain("X-Amz-Signature=").And.Contain("X-Amz-Expires=300");
        using var anonymous = new HttpClient();
        var bytes = await anonymous.GetByteArrayAsync(location);
        Pixels.Size(bytes).Should().Be((40, 30));
        bytes.Should().Equal(await server.Client.GetByteArrayAsync("/assets/r/photo/-/content?w=40&format=png"));
        original.StatusCode.Should().Be(HttpStatusCode.TemporaryRedirect);
        (await anonymous.GetByteArrayAsync(original.Headers.Location!)).Length.Should().BeGreaterThan(1000);
    }

    [Fact]
    public async Task Template_redirects_fill_in_bucket_and_key()
    {
        await using var server = await DirektTestServer.StartAsync("""
            paths { "/**" { return-format.redirect { strategy = template, template.string = "https://cdn.example.com/{bucket}/{key}" } } }
            """);
        using var client = NotFollowing(server);
        await server.Client.PostAsync("/t/photo", TestImages.Jpeg(200, 100));

        var redirect = await client.GetAsync("/assets/t/photo/-/redirect?w=50&format=webp");
        var info = await (await server.Client.GetAsync("/assets/t/photo/-/info")).JsonAsync();

        redirect.StatusCode.Should().Be(HttpStatusCode.TemporaryRedirect);
        var variant = info.GetProperty("variants").EnumerateArray().Single(v => !v.GetProperty("isOriginalVariant").GetBoolean());
        redirect.Headers.Location!.ToString().Should().Be($"https://cdn.example.com/assets/{variant.GetProperty("storeKey").GetString()}");
        File.Exists(Path.Combine(server.ObjectsFolder, "assets", variant.GetProperty("storeKey").GetString()!)).Should().BeTrue();
    }

    [Fact]
    public async Task Without_a_strategy_redirect_serves_the_bytes()
    {
        await using var server = await DirektTestServer.StartAsync();
        using var client = NotFollowing(server);
        var jpeg = TestImages.Jpeg(30, 20);
        await server.Client.PostAsync("/n/photo", jpeg);

        var response = await client.GetAsync("/assets/n/photo/-/redirect");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(jpeg);
    }
}
