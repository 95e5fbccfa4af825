using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Direkt.Http.Access;
using Direkt.Tests.Support;

namespace Direkt.Tests.Access;

/// <summary>URL signing (403) and API keys (401) over real HTTP.</summary>
public sealed class AccessControlTests
{
    private const string ApiKey = "test-key-0123456789abcdef";
    private static readonly UrlSigner Signer = new("k3y-for-tests", "hmac_sha256");

    private static Task<DirektTestServer> SignedServer() => DirektTestServer.StartAsync($$"""
        url-signing { enabled = true, secret-key = "k3y-for-tests" }
        """);

    [Fact]
    public async Task With_signing_on_only_correctly_signed_reads_are_served()
    {
        await using var server = await SignedServer();
        (await server.Client.PostAsync("/s/photo", TestImages.Jpeg(100, 80))).StatusCode.Should().Be(HttpStatusCode.Created,
            "signing guards reads; writes are for API keys");

        var unsigned = await server.Client.GetAsync("/assets/s/photo/-/content?w=50");
        var signed = await server.Client.GetAsync(Signer.Sign("/assets/s/photo/-/content?w=50"));
        var altered = await server.Client.GetAsync(Signer.Sign("/assets/s/photo/-/content?w=50").Replace("w=50", "w=60"));
        var replayedElsewhere = await server.Client.GetAsync(Signer.Sign("/assets/s/photo/-/content?w=50").Replace("/s/photo", "/s/other"));
        var added = await server.Client.GetAsync(Signer.Sign("/assets/s/photo/-/content?w=50") + "&format=png");
        var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Signer.Sign("/assets/s/photo/-/info")));

        unsigned.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        unsigned.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await unsigned.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:forbidden");
        signed.StatusCode.Should().Be(HttpStatusCode.OK);
        Pixels.Size(await signed.Content.ReadAsByteArrayAsync()).Width.Should().Be(50);
        altered.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        replayedElsewhere.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        added.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        head.StatusCode.Should().Be(HttpStatusCode.OK);
        (await server.Client.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK, "operations endpoints are not signed");
    }

    [Fact]
    public async Task Links_come_back_signed_so_that_browsers_can_follow_them()
    {
        await using var server = await SignedServer();
        await server.Client.PostAsync("/s/linked", TestImages.Jpeg(100, 80));

        var link = await (await server.Client.GetAsync(Signer.Sign("/assets/s/linked?w=30"))).JsonAsync();
        var url = new Uri(link.GetProperty("url").GetString()!);
        var followed = await server.Client.GetAsync(url.PathAndQuery);

        url.Query.Should().Contain("s=");
        followed.StatusCode.Should().Be(HttpStatusCode.OK);
        Pixels.Size(await followed.Content.ReadAsByteArrayAsync()).Width.Should().Be(30);
    }

    [Fact]
    public async Task With_api_keys_set_writes_need_a_bearer_key_and_reads_do_not()
    {
        await using var server = await DirektTestServer.StartAsync($$"""auth.api-keys = ["{{ApiKey}}", "second-key-0123456789"]""");

        var none = await server.Client.PostAsync("/k/photo", TestImages.Jpeg(20, 20));
        var wrong = await Post(server, "/k/photo", "Bearer wrong-key-0123456789abcdef");
        var basic = await Post(server, "/k/photo", "Basic " + Convert.ToBase64String("a:b"u8.ToArray()));
        var right = await Post(server, "/k/photo", "Bearer " + ApiKey);
        var second = await Post(server, "/k/photo", "bearer second-key-0123456789");

        none.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        none.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer");
        (await none.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:unauthorized");
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        basic.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        right.StatusCode.Should().Be(HttpStatusCode.Created);
        second.StatusCode.Should().Be(HttpStatusCode.Created);
        (await (await server.Client.GetAsync("/assets/k/photo/-/info?limit=-1")).JsonAsync()).GetArrayLength().Should().Be(2,
            "refused uploads stored nothing");
    }

    private static Task<HttpResponseMessage> Post(DirektTestServer server, string path, string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/assets" + path) { Content = Uploads.Form(TestImages.Jpeg(20, 20)) };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return server.Client.SendAsync(request);
    }

    [Fact]
    public async Task The_sign_command_prints_the_signed_url_with_the_configured_secret()
    {
        using var folder = new ConfigurationFiles();
        var config = folder.Write("direkt.conf", "url-signing { enabled = true, algorithm = hmac_sha256 }");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Direkt.dll"), "sign", "--config", config,
                     "/assets/a/-/content?w=10&format=webp" })
            start.ArgumentList.Add(argument);
        start.Environment["URL_SIGNING_SECRET_KEY"] = "k";

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(0, await process.StandardError.ReadToEndAsync());
        output.Trim().Should().Be("/assets/a/-/content?w=10&format=webp&s=65OCqI-5z9nVnNmtrU1qZVvCXDGe-h8QOMWf9dor7zE");
    }

    [Fact]
    public async Task A_route_without_an_access_rule_stops_the_start_and_is_refused_if_it_runs_anyway()
    {
        var data = Directory.CreateTempSubdirectory("direkt-test-").FullName;
        var app = DirektServer.Build(new DirektServerOptions
        {
            Configuration = new Direkt.Configuration.Loading.ConfigurationSource
            {
                FilePath = RepositoryRoot.File("config/direkt.conf"),
                Environment = new Dictionary<string, string>(),
                Overrides = $"""
                    http.port = 0
                    data-store.sqlite.path = {System.Text.Json.JsonSerializer.Serialize(Path.Combine(data, "direkt.db"))}
                    object-store.filesystem.root = {System.Text.Json.JsonSerializer.Serialize(Path.Combine(data, "objects"))}
                    """,
            },
            ListenAddress = IPAddress.Loopback,
        });
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(app, "/undeclared", () => "open by accident");

        var prepare = () => DirektServer.PrepareAsync(app);
        await prepare.Should().ThrowAsync<InvalidOperationException>().WithMessage("*access rule*undeclared*");

        await app.StartAsync();
        try
        {
            var address = app.Urls.First();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            var response = await client.GetAsync("/undeclared");
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            (await response.Content.ReadAsStringAsync()).Should().NotContain("open by accident");
            (await client.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
