using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>Server-Timing on content answers: where a miss spent its time, and the lookup of a hit.</summary>
public sealed class ServerTimingTests
{
    private static Dictionary<string, double> Metrics(HttpResponseMessage response)
    {
        var value = string.Join(", ", response.Headers.GetValues("Server-Timing"));
        return value.Split(", ").Select(m => Regex.Match(m, "^([a-z]+)(?:;desc=\"[^\"]*\")?;dur=([0-9]+\\.[0-9])$"))
            .Should().OnlyContain(m => m.Success, value).And.Subject
            .ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_miss_says_queue_render_and_store_and_a_hit_says_hit()
    {
        await using var server = await DirektTestServer.StartAsync();
        await server.Client.PostAsync("/st/photo", TestImages.Jpeg(800, 600));

        var miss = await server.Client.GetAsync("/assets/st/photo/-/content?w=300&format=webp");
        var hit = await server.Client.GetAsync("/assets/st/photo/-/content?w=300&format=webp");
        var original = await server.Client.GetAsync("/assets/st/photo/-/entry/0/content");

        miss.StatusCode.Should().Be(HttpStatusCode.OK);
        var generated = Metrics(miss);
        generated.Keys.Should().Equal("queue", "render", "store");
        generated["render"].Should().BeGreaterThan(0, "decoding and resizing an 800×600 JPEG takes measurable time");
        generated.Values.Should().OnlyContain(d => d >= 0 && d < 60_000);
        Metrics(hit).Keys.Should().Equal("hit");
        Metrics(original).Keys.Should().Equal("hit");
    }
}
