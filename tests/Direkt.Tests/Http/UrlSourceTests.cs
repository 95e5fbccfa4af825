using System.Net;
using System.Text;
using Direkt.Assets.Sources;
using Direkt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

/// <summary>
/// POST with JSON `url` over real HTTP. Every fetch goes to a loopback origin under a test name; private and metadata ranges
/// are reached only through an injected resolver and refused before any connection, so no packet ever leaves loopback.
/// </summary>
public sealed class UrlSourceTests
{
    private static readonly byte[] Jpeg = TestImages.Jpeg(120, 90);

    private static Task<IPAddress[]> Resolve(string host, CancellationToken _) => host switch
    {
        "images.example.test" or "cdn.example.test" or "other.example.test" => Task.FromResult<IPAddress[]>([IPAddress.Loopback]),
        "metadata.example.test" => Task.FromResult<IPAddress[]>([IPAddress.Parse("169.254.169.254")]),
        "intranet.example.test" => Task.FromResult<IPAddress[]>([IPAddress.Parse("10.0.0.7")]),
        "ula.example.test" => Task.FromResult<IPAddress[]>([IPAddress.Parse("fd00::1")]),
        _ => Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound)),
    };

    /// <summary>A server whose fetcher resolves test names; loopback is reachable only when <paramref name="allowLoopback"/>.</summary>
    private static Task<DirektTestServer> Server(bool allowLoopback = true, string limits = "") => DirektTestServer.StartAsync($$"""
        source.url { allowed-domains = ["images.example.test", "*.example.test"] {{limits}} }
        """, services: s => s.AddSingleton(provider =>
        {
            var configured = provider.GetRequiredService<Direkt.Configuration.Loading.DirektConfiguration>().Options.Source.Url;
            return new UrlSourceFetcher(UrlSourceOptions.From(configured), Resolve,
                allowLoopback ? address => address.Equals(IPAddress.Loopback) : null);
        }));

    private static Task<HttpResponseMessage> PostUrl(DirektTestServer server, string path, string json) =>
        server.Client.PostAsync("/assets" + path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_url_source_is_fetched_stored_and_recorded_with_its_url()
    {
        await using var origin = LoopbackOrigin.Serving(Jpeg, "image/jpeg");
        await using var server = await Server();
        var url = $"http://images.example.test:{origin.Port}/photos/a.jpg";

        var response = await PostUrl(server, "/from/url", $$$"""{"url":"{{{url}}}","alt":"fetched","labels":{"k":"v"}}""");

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var info = await response.JsonAsync();
        info.GetProperty("source").GetString().Should().Be("url");
        info.GetProperty("sourceUrl").GetString().Should().Be(url);
        info.GetProperty("alt").GetString().Should().Be("fetched");
        info.GetProperty("labels").GetProperty("k").GetString().Should().Be("v");
        (await server.Client.GetByteArrayAsync("/assets/from/url/-/content")).Should().Equal(Jpeg);
        origin.Requests.Should().ContainSingle().Which.Headers["user-agent"].Should().StartWith("Direkt");
    }

    [Fact]
    public async Task Redirects_to_allowed_hosts_are_followed_and_to_others_refused()
    {
        await using var target = LoopbackOrigin.Serving(Jpeg, "image/jpeg");
        await using var allowed = LoopbackOrigin.Redirecting(_ => $"http://cdn.example.test:{target.Port}/b.jpg");
        await using var elsewhere = LoopbackOrigin.Redirecting(_ => $"http://evil.example.com:{target.Port}/b.jpg");
        await using var toMetadata = LoopbackOrigin.Redirecting(_ => "http://metadata.example.test/latest/meta-data/");
        await using var server = await Server();

        var followed = await PostUrl(server, "/r/ok", $$"""{"url":"http://images.example.test:{{allowed.Port}}/a"}""");
        var refused = await PostUrl(server, "/r/evil", $$"""{"url":"http://images.example.test:{{elsewhere.Port}}/a"}""");
        var metadata = await PostUrl(server, "/r/meta", $$"""{"url":"http://images.example.test:{{toMetadata.Port}}/a"}""");

        followed.StatusCode.Should().Be(HttpStatusCode.Created);
        (await followed.JsonAsync()).GetProperty("sourceUrl").GetString().Should().Contain($":{allowed.Port}/a", "the requested url is recorded");
        refused.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        metadata.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        target.Requests.Should().ContainSingle("only the allowed redirect reached the target");
        server.StoredFiles().Should().ContainSingle();
    }

    [Theory]
    [InlineData("http://evil.example.com/a.jpg", HttpStatusCode.BadRequest)]       // host not allowed
    [InlineData("ftp://images.example.test/a.jpg", HttpStatusCode.BadRequest)]     // scheme
    [InlineData("http://127.0.0.1/a.jpg", HttpStatusCode.BadRequest)]              // IP literal
    [InlineData("http://user:pw@images.example.test/a.jpg", HttpStatusCode.BadRequest)]
    [InlineData("not a url", HttpStatusCode.BadRequest)]
    [InlineData("http://metadata.example.test/latest/meta-data/", HttpStatusCode.BadGateway)]   // 169.254.169.254
    [InlineData("http://intranet.example.test/a.jpg", HttpStatusCode.BadGateway)]             // 10.0.0.0/8
    [InlineData("http://ula.example.test/a.jpg", HttpStatusCode.BadGateway)]                  // fd00::/8
    public async Task Refused_urls_are_problems_and_store_nothing(string url, HttpStatusCode status)
    {
        await using var server = await Server();

        var response = await PostUrl(server, "/refused/x", $$"""{"url":"{{url}}"}""");

        response.StatusCode.Should().Be(status, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        server.StoredFiles().Should().BeEmpty();
        (await server.Client.GetAsync("/assets/refused/x/-/info")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Loopback_is_refused_by_the_real_address_policy_without_a_connection()
    {
        await using var origin = LoopbackOrigin.Serving(Jpeg, "image/jpeg");
        await using var server = await Server(allowLoopback: false);

        var response = await PostUrl(server, "/loop/x", $$"""{"url":"http://images.example.test:{{origin.Port}}/a.jpg"}""");

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        origin.Connections.Should().Be(0);
    }

    [Fact]
    public async Task Size_time_content_and_body_shape_limits()
    {
        await using var big = LoopbackOrigin.Serving(new byte[50_000], "image/jpeg");
        await using var text = LoopbackOrigin.Serving("hello, not an image"u8.ToArray(), "image/jpeg");
        await using var failing = new LoopbackOrigin((_, stream, ct) => LoopbackOrigin.Respond(stream, 500, "oops"u8.ToArray(), ct));
        await using var silent = new LoopbackOrigin((_, _, ct) => Task.Delay(Timeout.Infinite, ct));
        await using var server = await Server(limits: ", max-bytes = 10000, timeout = 1s");

        (await PostUrl(server, "/l/big", $$"""{"url":"http://images.example.test:{{big.Port}}/a"}""")).StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await PostUrl(server, "/l/text", $$"""{"url":"http://images.example.test:{{text.Port}}/a"}""")).StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await PostUrl(server, "/l/500", $$"""{"url":"http://images.example.test:{{failing.Port}}/a"}""")).StatusCode.Should().Be(HttpStatusCode.BadGateway);
        (await PostUrl(server, "/l/slow", $$"""{"url":"http://images.example.test:{{silent.Port}}/a"}""")).StatusCode.Should().Be(HttpStatusCode.GatewayTimeout);
        (await PostUrl(server, "/l/none", """{"alt":"no url"}""")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await PostUrl(server, "/l/extra", """{"url":"http://images.example.test/a","colour":"red"}""")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        server.StoredFiles().Should().BeEmpty();
        server.SpooledFiles().Should().BeEmpty("failed fetches leave no temporary files");
    }

    [Fact]
    public async Task Without_allowed_domains_every_url_is_refused()
    {
        await using var origin = LoopbackOrigin.Serving(Jpeg, "image/jpeg");
        await using var server = await DirektTestServer.StartAsync();

        var response = await PostUrl(server, "/none/x", $$"""{"url":"http://images.example.test:{{origin.Port}}/a.jpg"}""");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        origin.Connections.Should().Be(0);
    }
}
