using System.Net;
using System.Text.RegularExpressions;
using Direkt.Tests.Support;

namespace Direkt.Tests.Docs;

/// <summary>
/// The metrics table in docs/operations.md is what /metrics serves: after a request mix every documented series exists with
/// its type and labels, and every series served is documented.
/// </summary>
public sealed class MetricsDocsTests
{
    private sealed record DocumentedMetric(string Name, string Type, IReadOnlyList<string> Labels);

    [Fact]
    public async Task Every_documented_series_is_served_with_its_type_and_labels_and_nothing_undocumented()
    {
        var documented = Documented(File.ReadAllText(RepositoryRoot.File("docs/operations.md")));
        await using var server = await DirektTestServer.StartAsync();
        var scrape = await RequestMixAsync(server);

        var served = Regex.Matches(scrape, @"^# TYPE (\S+) (\S+)$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        served.Should().BeEquivalentTo(documented.ToDictionary(m => m.Name, m => m.Type),
            "docs/operations.md lists every series /metrics serves, with its type");
        foreach (var metric in documented)
        {
            var samples = Regex.Matches(scrape, $@"^{Regex.Escape(metric.Name)}(?:_bucket|_count|_sum)?(\{{[^}}]*\}})? \S+$", RegexOptions.Multiline);
            samples.Should().NotBeEmpty($"{metric.Name} has a sample");
            foreach (Match sample in samples.Where(s => !s.Value.StartsWith(metric.Name + "_bucket", StringComparison.Ordinal)))
                LabelNames(sample.Groups[1].Value).Should().Equal(metric.Labels, $"{metric.Name}'s labels are those documented ({sample.Value})");
        }
    }

    [Fact]
    public async Task Requests_are_counted_by_route_pattern_and_status_and_variants_by_outcome()
    {
        await using var server = await DirektTestServer.StartAsync();
        var scrape = await RequestMixAsync(server);

        const string route = "route=\"/assets/{**rest}\"";
        scrape.Should().Contain($"direkt_http_requests_total{{method=\"POST\",{route},status=\"201\"}} 1")
            .And.Contain($"direkt_http_requests_total{{method=\"GET\",{route},status=\"200\"}} 2") // the miss and the hit
            .And.Contain($"direkt_http_requests_total{{method=\"GET\",{route},status=\"304\"}} 1")
            .And.Contain($"direkt_http_requests_total{{method=\"GET\",{route},status=\"404\"}} 1")
            .And.Contain($"direkt_http_requests_total{{method=\"GET\",{route},status=\"400\"}} 1")
            .And.Contain("direkt_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1")
            .And.Contain($"direkt_http_request_duration_seconds_count{{method=\"GET\",{route},status=\"304\"}} 1")
            .And.NotContain("/mix/photo", "a raw path never becomes a label value");
        scrape.Should().Contain("direkt_variant_requests_total{outcome=\"hit\"} 2") // the hit and the 304
            .And.Contain("direkt_variant_requests_total{outcome=\"miss\"} 1")
            .And.Contain("direkt_variant_requests_total{outcome=\"collapsed\"} 0")
            .And.Contain("direkt_variant_generations_total 1");
        scrape.Should().Contain("direkt_storage_operations_total{store=\"filesystem\",operation=\"put\",outcome=\"ok\"} 2") // original + variant
            .And.Contain("direkt_storage_operations_total{store=\"sqlite\",operation=\"create\",outcome=\"ok\"} 1")
            .And.Contain("direkt_storage_operation_duration_seconds_count{store=\"filesystem\",operation=\"put\"} 2");
        Regex.IsMatch(scrape, @"^direkt_memory_budget_bytes\{state=""limit""\} [1-9]\d*$", RegexOptions.Multiline).Should().BeTrue();
        Regex.IsMatch(scrape, @"^direkt_libvips_memory_bytes\{state=""highwater""\} [1-9]\d*$", RegexOptions.Multiline).Should().BeTrue();
        Regex.IsMatch(scrape, @"^process_resident_memory_bytes [1-9][\d.e+]*$", RegexOptions.Multiline).Should().BeTrue();
        scrape.Should().Contain("direkt_deletion_outbox_entries 0");
        Regex.IsMatch(scrape, @"^direkt_build_info\{version=""[^""]+"",commit=""[^""]+"",config_hash=""[0-9a-f]{12}""\} 1$", RegexOptions.Multiline)
            .Should().BeTrue();
    }

    // An upload, a miss, a hit, a 304, a 404 and a 400 (and a 404 outside every route), then the scrape.
    private static async Task<string> RequestMixAsync(DirektTestServer server)
    {
        (await server.Client.PostAsync("/mix/photo", TestImages.Jpeg(64, 48))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await server.Client.GetAsync("/assets/mix/photo/-/content?w=16")).StatusCode.Should().Be(HttpStatusCode.OK);
        var hit = await server.Client.GetAsync("/assets/mix/photo/-/content?w=16");
        hit.StatusCode.Should().Be(HttpStatusCode.OK);
        var conditional = new HttpRequestMessage(HttpMethod.Get, "/assets/mix/photo/-/content?w=16");
        conditional.Headers.IfNoneMatch.Add(hit.Headers.ETag!);
        (await server.Client.SendAsync(conditional)).StatusCode.Should().Be(HttpStatusCode.NotModified);
        (await server.Client.GetAsync("/assets/mix/none/-/content")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await server.Client.GetAsync("/assets/mix/photo/-/content?w=abc")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await server.Client.GetAsync("/no-such-endpoint")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        return await server.Client.GetStringAsync("/metrics");
    }

    private static IReadOnlyList<DocumentedMetric> Documented(string markdown)
    {
        var start = markdown.IndexOf("<!-- metrics -->", StringComparison.Ordinal);
        var end = markdown.IndexOf("<!-- /metrics -->", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "docs/operations.md marks its metrics table");
        var rows = markdown[start..end].Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => new DocumentedMetric(cells[1].Trim('`'), cells[2],
                cells[3] == "—" ? [] : cells[3].Split(", ").Select(label => label.Trim('`')).ToList()))
            .ToList();
        rows.Should().HaveCountGreaterThan(20);
        return rows;
    }

    private static IReadOnlyList<string> LabelNames(string braces) =>
        braces.Length == 0 ? [] : Regex.Matches(braces, @"(\w+)=""").Select(m => m.Groups[1].Value).Where(l => l != "le").ToList();
}
