using System.Text.Json;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>`logging.*`: JSON lines a shipper can parse, one line per request with its fields, probes only at debug.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task Json_request_lines_parse_and_carry_the_fields_and_probes_stay_below_info()
    {
        var log = new StringWriter();
        var server = await DirektTestServer.StartAsync("logging.format = json", log: TextWriter.Synchronized(log));
        await using (server)
        {
            (await server.Client.PostAsync("/assets/logs/photo", Uploads.Form(TestImages.Jpeg(80, 60)))).EnsureSuccessStatusCode();
            (await server.Client.GetAsync("/assets/logs/photo/-/content?w=20")).EnsureSuccessStatusCode();
            (await server.Client.GetAsync("/assets/logs/photo/-/content?w=20")).EnsureSuccessStatusCode();
            (await server.Client.GetAsync("/health")).EnsureSuccessStatusCode();
            (await server.Client.GetAsync("/ready")).EnsureSuccessStatusCode();
            (await server.Client.GetAsync("/assets/logs/missing")).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        }

        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var events = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList(); // every line is one JSON object
        var requests = events.Where(e => e.TryGetProperty("Elapsed", out _) && e.TryGetProperty("CacheStatus", out _)).ToList();

        var hit = requests.Last(e => e.GetProperty("RequestPath").GetString() == "/assets/logs/photo/-/content");
        hit.GetProperty("@t").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        hit.GetProperty("RequestMethod").GetString().Should().Be("GET");
        hit.GetProperty("StatusCode").GetInt32().Should().Be(200);
        hit.GetProperty("ResponseBytes").GetInt64().Should().BeGreaterThan(0);
        hit.GetProperty("Elapsed").GetDouble().Should().BeGreaterThan(0);
        hit.GetProperty("CacheStatus").GetString().Should().Be("hit");
        hit.GetProperty("RequestId").GetString().Should().NotBeNullOrEmpty();
        requests.Single(e => e.GetProperty("CacheStatus").GetString() == "miss").GetProperty("RequestPath").GetString()
            .Should().Be("/assets/logs/photo/-/content");
        requests.Should().Contain(e => e.GetProperty("StatusCode").GetInt32() == 404);
        requests.Should().NotContain(e => e.GetProperty("RequestPath").GetString() == "/health" || e.GetProperty("RequestPath").GetString() == "/ready",
            "probes log at debug, below the default level");
    }

    [Fact]
    public async Task Text_lines_start_with_an_iso_time_and_debug_shows_the_probes()
    {
        var log = new StringWriter();
        var server = await DirektTestServer.StartAsync("logging.level = debug", log: TextWriter.Synchronized(log));
        await using (server)
            (await server.Client.GetAsync("/health")).EnsureSuccessStatusCode();

        var probe = log.ToString().Split('\n').Single(l => l.Contains("GET /health 200"));
        probe.Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d DBG GET /health 200 ");
    }
}
