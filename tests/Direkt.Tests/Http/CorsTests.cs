using System.Net;
using System.Net.Http.Headers;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>CORS, Cross-Origin-Resource-Policy and Timing-Allow-Origin over real HTTP (docs/api.md#cors).</summary>
public sealed class CorsTests
{
    private const string App = "https://app.example.com";
    private const string Stranger = "https://evil.example.net";
    private const string ApiKey = "api-key-for-cors-tests-0123";

    private static Task<DirektTestServer> Server(string origins, string extra = "") => DirektTestServer.StartAsync($$"""
        http.cors { allowed-origins = {{origins}}, max-age = 5m }
        auth.api-keys = ["{{ApiKey}}"]
        url-signing { enabled = true, secret-key = "cors-signing-secret" }
        paths { "/**" { image.lqip = [blurhash, thumbhash] } }
        {{extra}}
        """);

    private static async Task<HttpResponseMessage> Send(DirektTestServer server, HttpMethod method, string url, string? origin,
        Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (origin is not null) request.Headers.Add("Origin", origin);
        configure?.Invoke(request);
        return await server.Client.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values) : null;

    private static IEnumerable<string> Vary(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Vary", out var values) ? values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)) : [];

    private static async Task Upload(DirektTestServer server, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/assets" + path) { Content = Uploads.Form(TestImages.Jpeg(64, 48)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        (await server.Client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    private static string Signed(string url) => new Direkt.Http.Access.UrlSigner("cors-signing-secret", "hmac_sha256").Sign(url);

    [Fact]
    public async Task A_listed_origin_reads_with_its_origin_echoed_and_every_sent_header_exposed()
    {
        await using var server = await Server($"[\"{App}\"]");
        await Upload(server, "/c/photo");

        var content = await Send(server, HttpMethod.Get, Signed("/assets/c/photo/-/content?w=32"), App);
        content.StatusCode.Should().Be(HttpStatusCode.OK);
        Header(content, "Access-Control-Allow-Origin").Should().Be(App);
        Header(content, "Timing-Allow-Origin").Should().Be(App);
        Vary(content).Should().Contain(["Origin", "Accept"], "the answer depends on the origin and on negotiation");
        Header(content, "Cross-Origin-Resource-Policy").Should().Be("cross-origin");
        var exposed = Header(content, "Access-Control-Expose-Headers")!.Split(',', StringSplitOptions.TrimEntries);
        var sent = content.Headers.Select(h => h.Key).ToList();
        sent.Where(h => h.StartsWith("Direkt-LQIP-", StringComparison.OrdinalIgnoreCase)).Should().HaveCount(2, "this path computes both placeholders");
        foreach (var name in sent.Where(h => h.StartsWith("Direkt-", StringComparison.OrdinalIgnoreCase)
                     || h is "ETag" or "Cache-Status" or "Server-Timing" or "Location"))
            exposed.Should().Contain(name, $"a page must be able to read {name}");
        exposed.Should().Contain(["ETag", "Cache-Status", "Direkt-Alt", "Location", "Server-Timing"]);

        var info = await Send(server, HttpMethod.Get, Signed("/assets/c/photo/-/info"), App);
        Header(info, "Access-Control-Allow-Origin").Should().Be(App);
        var stranger = await Send(server, HttpMethod.Get, Signed("/assets/c/photo/-/info"), Stranger);
        stranger.StatusCode.Should().Be(HttpStatusCode.OK, "CORS only tells the browser what a page may read");
        Header(stranger, "Access-Control-Allow-Origin").Should().BeNull();
        Header(stranger, "Timing-Allow-Origin").Should().BeNull();
        Vary(stranger).Should().Contain("Origin");
        var sameOrigin = await Send(server, HttpMethod.Get, Signed("/assets/c/photo/-/info"), null);
        Header(sameOrigin, "Access-Control-Allow-Origin").Should().BeNull();
        Vary(sameOrigin).Should().Contain("Origin", "a shared cache must not hand this answer to a listed origin");

        var problem = await Send(server, HttpMethod.Get, "/assets/c/photo/-/info", App);
        problem.StatusCode.Should().Be(HttpStatusCode.Forbidden, "unsigned");
        Header(problem, "Access-Control-Allow-Origin").Should().Be(App, "error answers are readable too, so a page can show the problem");
        (await Send(server, HttpMethod.Get, "/health", App)).Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse(
            "operations endpoints stay same-origin");
    }

    [Fact]
    public async Task A_preflight_for_a_write_with_authorization_passes_for_a_listed_origin_only_and_needs_no_key_or_signature()
    {
        await using var server = await Server($"[\"{App}\", \"*\"]");
        void AskFor(HttpRequestMessage r, string method)
        {
            r.Headers.Add("Access-Control-Request-Method", method);
            r.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        }

        var listed = await Send(server, HttpMethod.Options, "/assets/users/1/avatar", App, r => AskFor(r, "POST"));
        listed.StatusCode.Should().Be(HttpStatusCode.NoContent);
        Header(listed, "Access-Control-Allow-Origin").Should().Be(App);
        Header(listed, "Access-Control-Allow-Methods")!.Split(", ").Should().Contain(["POST", "PUT", "DELETE", "GET"]);
        Header(listed, "Access-Control-Allow-Headers")!.Split(", ").Should().Contain(["Authorization", "Content-Type"],
            "Authorization is named: * would not cover it");
        Header(listed, "Access-Control-Max-Age").Should().Be("300");
        Vary(listed).Should().Contain("Origin");
        var delete = await Send(server, HttpMethod.Options, "/assets/users/1/avatar/-/entry/0", App, r => AskFor(r, "DELETE"));
        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);

        var stranger = await Send(server, HttpMethod.Options, "/assets/users/1/avatar", Stranger, r => AskFor(r, "POST"));
        stranger.StatusCode.Should().Be(HttpStatusCode.Forbidden, "* opens reads only");
        Header(stranger, "Access-Control-Allow-Origin").Should().BeNull();
        var strangerRead = await Send(server, HttpMethod.Options, "/assets/users/1/avatar/-/info", Stranger,
            r => r.Headers.Add("Access-Control-Request-Method", "GET"));
        strangerRead.StatusCode.Should().Be(HttpStatusCode.NoContent);
        Header(strangerRead, "Access-Control-Allow-Origin").Should().Be("*");
        Header(strangerRead, "Access-Control-Allow-Methods").Should().Be("GET, HEAD");
        Header(strangerRead, "Access-Control-Allow-Headers")!.Split(", ").Should().NotContain("Authorization");

        // The write itself from the listed origin: the origin is echoed on the 201.
        var post = new HttpRequestMessage(HttpMethod.Post, "/assets/users/1/avatar") { Content = Uploads.Form(TestImages.Jpeg(8, 8)) };
        post.Headers.Add("Origin", App);
        post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        var created = await server.Client.SendAsync(post);
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        Header(created, "Access-Control-Allow-Origin").Should().Be(App);
        Header(created, "Access-Control-Expose-Headers")!.Should().Contain("Location");
        var strangerPost = new HttpRequestMessage(HttpMethod.Post, "/assets/users/1/avatar") { Content = Uploads.Form(TestImages.Jpeg(8, 8)) };
        strangerPost.Headers.Add("Origin", Stranger);
        strangerPost.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        Header(await server.Client.SendAsync(strangerPost), "Access-Control-Allow-Origin").Should().BeNull();

        var plainOptions = await Send(server, HttpMethod.Options, "/assets/users/1/avatar", App);
        plainOptions.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed, "an OPTIONS that is no preflight is an ordinary request");
    }

    [Fact]
    public async Task A_star_opens_reads_to_every_origin_without_varying()
    {
        await using var server = await Server("[\"*\"]");
        await Upload(server, "/s/photo");

        var read = await Send(server, HttpMethod.Get, Signed("/assets/s/photo/-/content"), Stranger);
        Header(read, "Access-Control-Allow-Origin").Should().Be("*");
        Header(read, "Timing-Allow-Origin").Should().Be("*");
        Vary(read).Should().NotContain("Origin", "every origin gets the same answer");
        var head = await Send(server, HttpMethod.Head, Signed("/assets/s/photo/-/content"), Stranger);
        Header(head, "Access-Control-Allow-Origin").Should().Be("*");

        var write = new HttpRequestMessage(HttpMethod.Post, "/assets/s/photo") { Content = Uploads.Form(TestImages.Jpeg(8, 8)) };
        write.Headers.Add("Origin", Stranger);
        write.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        var written = await server.Client.SendAsync(write);
        written.StatusCode.Should().Be(HttpStatusCode.Created);
        Header(written, "Access-Control-Allow-Origin").Should().BeNull("* never opens writes");
        (await Send(server, HttpMethod.Options, "/assets/s/photo", Stranger, r => r.Headers.Add("Access-Control-Request-Method", "PUT")))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Without_allowed_origins_there_are_no_cors_headers_but_images_still_allow_cross_origin_embedding()
    {
        await using var server = await DirektTestServer.StartAsync();
        await server.Client.PostAsync("/n/photo", TestImages.Jpeg(8, 8));

        var content = await Send(server, HttpMethod.Get, "/assets/n/photo/-/content", App);
        content.StatusCode.Should().Be(HttpStatusCode.OK);
        content.Headers.Where(h => h.Key.StartsWith("Access-Control-", StringComparison.Ordinal)).Should().BeEmpty();
        Header(content, "Timing-Allow-Origin").Should().BeNull();
        Vary(content).Should().NotContain("Origin");
        Header(content, "Cross-Origin-Resource-Policy").Should().Be("cross-origin");
        (await Send(server, HttpMethod.Options, "/assets/n/photo", App, r => r.Headers.Add("Access-Control-Request-Method", "GET")))
            .StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }
}
