using System.Net;
using System.Text.Json;
using Direkt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

public sealed class StatsTests
{
    private const string Settings = """
        variant-generation.workers = 3
        variant-generation.queue-size = 7
        variant-generation.memory-budget = 268435456
        """;

    [Fact]
    public async Task A_fresh_server_reports_its_shape_and_nothing_done()
    {
        await using var server = await DirektTestServer.StartAsync(Settings);

        var response = await server.Client.GetAsync("/stats");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        var stats = await response.JsonAsync();
        DateTimeOffset.Parse(stats.GetProperty("time").GetString()!).Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        stats.GetProperty("version").GetString().Should().MatchRegex(@"^\d+\.\d+\.\d+");
        stats.GetProperty("uptimeSeconds").GetDouble().Should().BeGreaterThanOrEqualTo(0);
        stats.GetProperty("workers").GetProperty("total").GetInt32().Should().Be(3);
        stats.GetProperty("workers").GetProperty("busy").GetInt32().Should().Be(0);
        foreach (var queue in new[] { "synchronous", "asynchronous" })
        {
            var q = stats.GetProperty("queues").GetProperty(queue);
            q.GetProperty("depth").GetInt32().Should().Be(0);
            q.GetProperty("capacity").GetInt32().Should().Be(7);
            q.GetProperty("completed").GetInt64().Should().Be(0);
            q.GetProperty("perSecond").GetDouble().Should().Be(0);
        }
        var generations = stats.GetProperty("generations");
        generations.GetProperty("total").GetInt64().Should().Be(0);
        generations.GetProperty("p50Ms").ValueKind.Should().Be(JsonValueKind.Null);
        stats.GetProperty("cache").GetProperty("hitRatio").ValueKind.Should().Be(JsonValueKind.Null);
        stats.GetProperty("memory").GetProperty("budgetBytes").GetInt64().Should().Be(268435456);
        stats.GetProperty("memory").GetProperty("inUseBytes").GetInt64().Should().Be(0);
        stats.GetProperty("buckets").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task After_a_miss_and_a_hit_the_numbers_are_right()
    {
        await using var server = await DirektTestServer.StartAsync(Settings);
        var original = TestImages.Jpeg(640, 480);
        (await server.Client.PostAsync("/photos/stats", original)).StatusCode.Should().Be(HttpStatusCode.Created);

        var miss = await server.Client.GetAsync("/assets/photos/stats/-/content?w=120");
        var hit = await server.Client.GetAsync("/assets/photos/stats/-/content?w=120");
        miss.Headers.GetValues("Cache-Status").Single().Should().Contain("fwd=miss");
        hit.Headers.GetValues("Cache-Status").Single().Should().Contain("hit");
        var stats = await (await server.Client.GetAsync("/stats")).JsonAsync();

        var cache = stats.GetProperty("cache");
        cache.GetProperty("hits").GetInt64().Should().Be(1);
        cache.GetProperty("misses").GetInt64().Should().Be(1);
        cache.GetProperty("collapsed").GetInt64().Should().Be(0);
        cache.GetProperty("hitRatio").GetDouble().Should().Be(0.5);
        var memory = cache.GetProperty("memory");
        memory.GetProperty("objects").GetInt64().Should().BeGreaterThan(0, "the generated variant's bytes are kept for its hits");
        memory.GetProperty("bytes").GetInt64().Should().BeGreaterThan(0);
        memory.GetProperty("limitBytes").GetInt64().Should().Be(64L * 1024 * 1024);
        memory.GetProperty("readsFromMemory").GetInt64().Should().BeGreaterThan(0);
        var generations = stats.GetProperty("generations");
        generations.GetProperty("total").GetInt64().Should().Be(1);
        generations.GetProperty("perSecond").GetDouble().Should().BeGreaterThan(0);
        var p50 = generations.GetProperty("p50Ms").GetDouble();
        p50.Should().BeGreaterThan(0);
        generations.GetProperty("p99Ms").GetDouble().Should().Be(p50, "one generation is both percentiles");
        // The upload's probe and the variant: two synchronous jobs; nothing eager.
        stats.GetProperty("queues").GetProperty("synchronous").GetProperty("completed").GetInt64().Should().Be(2);
        stats.GetProperty("queues").GetProperty("asynchronous").GetProperty("completed").GetInt64().Should().Be(0);
        stats.GetProperty("workers").GetProperty("busy").GetInt32().Should().Be(0);
        stats.GetProperty("memory").GetProperty("inUseBytes").GetInt64().Should().Be(0, "every admitted job has ended");

        // Buckets: the original and the variant, with exactly the bytes on disk.
        var stored = server.StoredFiles().Select(f => new FileInfo(Path.Combine(server.ObjectsFolder, f))).ToList();
        stored.Should().HaveCount(2);
        var bucket = stats.GetProperty("buckets").EnumerateArray().Should().ContainSingle().Subject;
        bucket.GetProperty("name").GetString().Should().Be(stored[0].Directory!.FullName[(server.ObjectsFolder.Length + 1)..].Split('/')[0]);
        bucket.GetProperty("objects").GetInt64().Should().Be(2);
        bucket.GetProperty("storedBytes").GetInt64().Should().Be(stored.Sum(f => f.Length));
    }

    [Fact]
    public async Task A_part_adds_its_own_section_and_a_later_one_of_the_same_name_replaces_it()
    {
        await using var server = await DirektTestServer.StartAsync(services: s =>
        {
            s.AddSingleton<Direkt.Http.Observability.IStatsSection>(new Fixed("extra", new { answer = 42 }));
            s.AddSingleton<Direkt.Http.Observability.IStatsSection>(new Fixed("cache", "replaced"));
        });

        var text = await server.Client.GetStringAsync("/stats");

        var stats = JsonDocument.Parse(text).RootElement;
        stats.GetProperty("extra").GetProperty("answer").GetInt32().Should().Be(42);
        stats.GetProperty("cache").GetString().Should().Be("replaced");
        stats.EnumerateObject().Select(p => p.Name).Should().OnlyHaveUniqueItems()
            .And.StartWith(["time", "version", "uptimeSeconds", "workers", "queues", "generations", "cache"]);
    }

    private sealed class Fixed(string name, object value) : Direkt.Http.Observability.IStatsSection
    {
        public string Name => name;
        public ValueTask<object?> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult<object?>(value);
    }

    [Fact]
    public async Task Resident_memory_is_the_process_rss()
    {
        await using var server = await DirektTestServer.StartAsync();

        var reported = (await (await server.Client.GetAsync("/stats")).JsonAsync()).GetProperty("memory").GetProperty("residentBytes").GetInt64();

        var status = await File.ReadAllLinesAsync("/proc/self/status");
        var rss = long.Parse(status.Single(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        reported.Should().BeInRange(rss / 2, rss * 2);
    }
}
