using System.Net;
using Direkt.Scheduling;
using Direkt.Storage.Objects;
using Direkt.Tests.Support;
using Direkt.Variants;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

public sealed class EagerVariantTests
{
    private static string Profiles(int count, string format, int baseWidth = 20) => string.Concat(Enumerable.Range(1, count)
        .Select(i => $"variant-profiles.e{i} {{ w = {baseWidth + i}, format = {format} }}\n"));

    private static string EagerList(int count) => "[" + string.Join(", ", Enumerable.Range(1, count).Select(i => $"e{i}")) + "]";

    private static Task<DirektTestServer> Start(string configuration, Action<GatedObjectStore> gated) =>
        DirektTestServer.StartAsync(configuration, services: s => s.AddSingleton<IObjectStore>(provider =>
        {
            var store = new GatedObjectStore(new FileSystemObjectStore(
                provider.GetRequiredService<Direkt.Configuration.Loading.DirektConfiguration>().Options.ObjectStore.Filesystem.Root));
            gated(store);
            return store;
        }));

    [Fact]
    public async Task Eager_variants_are_generated_after_upload_and_then_served_as_hits()
    {
        await using var server = await DirektTestServer.StartAsync(Profiles(2, "webp") + $$"""paths { "/eager/**" { transform.eager-variants = {{EagerList(2)}} } }""");
        var counters = server.Services.GetRequiredService<VariantCounters>();

        (await server.Client.PostAsync("/eager/a", TestImages.Jpeg(200, 100))).StatusCode.Should().Be(HttpStatusCode.Created);
        await WaitUntil(() => counters.Generated == 2);
        await WaitUntil(async () => (await (await server.Client.GetAsync("/assets/eager/a/-/info")).JsonAsync()).GetProperty("variants").GetArrayLength() == 3);

        var response = await server.Client.GetAsync("/assets/eager/a/-/content?profile=e1");
        response.Headers.GetValues("Cache-Status").Single().Should().Be("direkt; hit");
        Pixels.Size(await response.Content.ReadAsByteArrayAsync()).Should().Be((21, 11));
        counters.EagerQueued.Should().Be(2);
    }

    [Fact]
    public async Task A_requested_eager_variant_still_queued_is_served_on_demand_and_the_eager_job_discarded()
    {
        GatedObjectStore store = null!;
        await using var server = await Start(Profiles(3, "webp") + $$"""
            variant-generation.workers = 2
            paths { "/eager/**" { transform.eager-variants = {{EagerList(3)}} } }
            """, s => store = s);
        var counters = server.Services.GetRequiredService<VariantCounters>();
        var pool = server.Services.GetRequiredService<WorkerPool>();

        // Both workers get stuck storing the first two eager variants; the third stays queued.
        store.HoldVariantWrites(key => key.EndsWith(".webp"));
        (await server.Client.PostAsync("/eager/b", TestImages.Jpeg(200, 100))).StatusCode.Should().Be(HttpStatusCode.Created);
        await WaitUntil(() => pool.Busy == 2 && pool.Queued(JobQueue.Asynchronous) == 1);

        var request = server.Client.GetAsync("/assets/eager/b/-/content?profile=e3");
        await WaitUntil(() => counters.EagerDiscarded == 1);
        store.ReleaseVariantWrites();
        var response = await request;

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Cache-Status").Single().Should().Be("direkt; fwd=miss; stored");
        Pixels.Size(await response.Content.ReadAsByteArrayAsync()).Should().Be((23, 12));
        await WaitUntil(() => pool.Counters.Skipped == 1 && counters.Generated == 3); // e1, e2 eagerly, e3 on demand
        counters.Misses.Should().Be(1);
    }

    [Fact]
    public async Task A_requested_eager_variant_already_running_is_joined()
    {
        GatedObjectStore store = null!;
        await using var server = await Start(Profiles(1, "webp") + """paths { "/eager/**" { transform.eager-variants = [e1] } }""", s => store = s);
        var pool = server.Services.GetRequiredService<WorkerPool>();
        var counters = server.Services.GetRequiredService<VariantCounters>();

        store.HoldVariantWrites(key => key.EndsWith(".webp"));
        await server.Client.PostAsync("/eager/c", TestImages.Jpeg(200, 100));
        await WaitUntil(() => pool.Busy == 1);
        var request = server.Client.GetAsync("/assets/eager/c/-/content?profile=e1");
        await WaitUntil(() => counters.Collapsed == 1);
        store.ReleaseVariantWrites();

        var response = await request;
        response.Headers.GetValues("Cache-Status").Single().Should().Be("direkt; fwd=miss; collapsed");
        counters.Misses.Should().Be(0, "no on-demand generation: the eager one served the request");
        counters.Generated.Should().Be(1);
        counters.EagerDiscarded.Should().Be(0);
    }

    [Fact]
    public async Task On_demand_requests_complete_while_a_large_eager_backlog_is_queued()
    {
        GatedObjectStore store = null!;
        // AVIF eager work is slow enough (hundreds of ms per job) that the backlog outlives the on-demand requests.
        await using var server = await Start(Profiles(60, "avif", baseWidth: 600) + $$"""
            variant-generation.workers = 3
            paths { "/eager/**" { transform.eager-variants = {{EagerList(60)}} } }
            """, s => store = s);
        var pool = server.Services.GetRequiredService<WorkerPool>();

        // Two workers stay stuck on eager work; the third works through the backlog and must still serve clients first.
        store.HoldVariantWrites(key => key.EndsWith(".avif"), first: 2);
        await server.Client.PostAsync("/eager/d", TestImages.Jpeg(1600, 1200));
        await WaitUntil(() => pool.Busy >= 2 && pool.Queued(JobQueue.Asynchronous) >= 20);

        for (var i = 0; i < 3; i++)
        {
            var response = await server.Client.GetAsync($"/assets/eager/d/-/content?w={100 + i}&format=png");
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        pool.Queued(JobQueue.Asynchronous).Should().BeGreaterThan(10, "the on-demand requests did not wait for the eager backlog");
        store.ReleaseVariantWrites();
    }

    [Fact]
    public async Task A_full_asynchronous_queue_drops_eager_work_without_blocking_the_upload()
    {
        GatedObjectStore store = null!;
        await using var server = await Start(Profiles(5, "webp") + $$"""
            variant-generation { workers = 1, queue-size = 2 }
            paths { "/eager/**" { transform.eager-variants = {{EagerList(5)}} } }
            """, s => store = s);
        var counters = server.Services.GetRequiredService<VariantCounters>();

        store.HoldVariantWrites(key => key.EndsWith(".webp"));
        var upload = await server.Client.PostAsync("/eager/e", TestImages.Jpeg(200, 100));

        upload.StatusCode.Should().Be(HttpStatusCode.Created);
        (counters.EagerQueued + counters.EagerDropped).Should().Be(5);
        counters.EagerDropped.Should().BeGreaterThanOrEqualTo(2);
        store.ReleaseVariantWrites();
        (await server.Client.GetAsync("/assets/eager/e/-/content?profile=e5")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static Task WaitUntil(Func<bool> condition) => WaitUntil(() => Task.FromResult(condition()));

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition()) await Task.Delay(10, timeout.Token);
    }
}
