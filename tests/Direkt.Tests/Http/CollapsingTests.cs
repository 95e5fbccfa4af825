using System.Net;
using Direkt.Storage.Objects;
using Direkt.Tests.Support;
using Direkt.Variants;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

public sealed class CollapsingTests
{
    [Fact]
    public async Task Twenty_concurrent_identical_misses_make_one_generation_and_identical_bodies()
    {
        GatedObjectStore? store = null;
        await using var server = await DirektTestServer.StartAsync(services: s => s.AddSingleton<IObjectStore>(provider =>
            store = new GatedObjectStore(new FileSystemObjectStore(
                provider.GetRequiredService<Direkt.Configuration.Loading.DirektConfiguration>().Options.ObjectStore.Filesystem.Root))));
        var counters = server.Services.GetRequiredService<VariantCounters>();
        await server.Client.PostAsync("/stampede/x", TestImages.Jpeg(1600, 1200));

        // The first generation is held before it stores its result until all twenty requests have arrived, so the other
        // nineteen must join it rather than find a finished variant.
        store!.HoldVariantWrites();
        var requests = Enumerable.Range(0, 20)
            .Select(_ => server.Client.GetAsync("/assets/stampede/x/-/content?w=300&format=webp")).ToList();
        await WaitUntil(() => counters.Misses + counters.Collapsed == 20);
        store.ReleaseVariantWrites();
        var responses = await Task.WhenAll(requests);

        counters.Generated.Should().Be(1);
        counters.Misses.Should().Be(1);
        counters.Collapsed.Should().Be(19);
        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsByteArrayAsync()));
        bodies.Should().OnlyContain(b => b.SequenceEqual(bodies[0]));
        Pixels.Size(bodies[0]).Should().Be((300, 225));
        var statuses = responses.Select(r => r.Headers.GetValues("Cache-Status").Single()).ToList();
        statuses.Count(s => s == "direkt; fwd=miss; stored").Should().Be(1);
        statuses.Count(s => s == "direkt; fwd=miss; collapsed").Should().Be(19);
        (await server.Client.GetAsync("/assets/stampede/x/-/content?w=300&format=webp")).Headers.GetValues("Cache-Status")
            .Single().Should().Be("direkt; hit");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition()) await Task.Delay(10, timeout.Token);
    }
}
