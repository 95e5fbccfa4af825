using System.Net;
using Direkt.TestServices;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>The database stops mid-test and comes back: 503 with Retry-After meanwhile, service resumes without a restart.</summary>
public sealed class PostgresOutageTests : IAsyncLifetime
{
    private readonly PostgresCluster _database = new();
    private DirektTestServer _server = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _server = await DirektTestServer.StartAsync($$"""
            data-store { provider = postgresql, postgresql { host = 127.0.0.1, port = {{_database.Port}}, database = postgres,
                         user = postgres, ssl-mode = disable, pool-size = 5 } }
            """);
        _server.Client.Timeout = TimeSpan.FromSeconds(60);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Requests_answer_503_while_the_database_is_down_and_succeed_again_once_it_is_back()
    {
        var jpeg = TestImages.Jpeg(120, 80);
        (await _server.Client.PostAsync("/db/photo", jpeg)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await _server.Client.GetAsync("/assets/db/photo/-/info")).StatusCode.Should().Be(HttpStatusCode.OK); // pooled connections exist

        await _database.StopAsync();

        foreach (var response in new[]
                 {
                     await _server.Client.GetAsync("/assets/db/photo/-/content"),
                     await _server.Client.PostAsync("/db/photo", TestImages.Jpeg(130, 80)),
                     await _server.Client.GetAsync("/ready"),
                 })
        {
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await response.Content.ReadAsStringAsync());
            response.Headers.RetryAfter.Should().NotBeNull();
        }
        _server.StoredFiles().Should().ContainSingle("the refused upload's object was removed when its record could not be written");

        await _database.StartAsync();

        (await _server.Client.GetAsync("/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _server.Client.GetByteArrayAsync("/assets/db/photo/-/content")).Should().Equal(jpeg);
        var again = await _server.Client.PostAsync("/db/photo", TestImages.Jpeg(140, 80));
        again.StatusCode.Should().Be(HttpStatusCode.Created);
        (await again.JsonAsync()).GetProperty("entryId").GetInt64().Should().Be(1, "the refused upload recorded nothing");
    }
}
