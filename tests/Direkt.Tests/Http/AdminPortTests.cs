using System.Net;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

public sealed class AdminPortTests
{
    private static readonly string[] OperatorRoutes = ["/metrics", "/stats", "/status"];

    [Fact]
    public async Task With_an_admin_port_the_operator_routes_move_there_and_the_public_routes_stay_public()
    {
        var adminPort = LoopbackPorts.Free();
        await using var server = await DirektTestServer.StartAsync($"http.admin-port = {adminPort}");
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };
        server.Client.BaseAddress!.Port.Should().NotBe(adminPort);

        (await server.Client.PostAsync("/split/one", TestImages.Jpeg(64, 48))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await server.Client.GetAsync("/assets/split/one/-/content?w=32")).StatusCode.Should().Be(HttpStatusCode.OK);

        foreach (var route in OperatorRoutes)
        {
            var onPublic = await server.Client.GetAsync(route);
            onPublic.StatusCode.Should().Be(HttpStatusCode.NotFound, $"{route} is not served on the public port");
            onPublic.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            (await admin.GetAsync(route)).StatusCode.Should().Be(HttpStatusCode.OK, $"{route} is served on the admin port");
        }
        var stats = await (await admin.GetAsync("/stats")).JsonAsync();
        stats.GetProperty("generations").GetProperty("total").GetInt64().Should().Be(1, "the admin port shows the public port's work");
        (await (await admin.GetAsync("/metrics")).Content.ReadAsStringAsync()).Should().Contain("direkt_");

        (await admin.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await admin.GetAsync("/assets/split/one/-/content?w=32")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await admin.PostAsync("/assets/split/two", Uploads.Form(TestImages.Jpeg(64, 48)))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await server.Client.GetAsync("/assets/split/two")).StatusCode.Should().Be(HttpStatusCode.NotFound, "nothing was stored through the admin port");
        (await server.Client.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Without_an_admin_port_everything_is_on_the_public_port()
    {
        await using var server = await DirektTestServer.StartAsync();

        foreach (var route in OperatorRoutes.Append("/health"))
            (await server.Client.GetAsync(route)).StatusCode.Should().Be(HttpStatusCode.OK, route);
    }
}
