using System.Net;
using Direkt.Storage.Objects;
using Direkt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

public sealed class DrainingTests
{
    [Fact]
    public async Task After_the_stop_signal_ready_answers_503_at_once_while_a_running_generation_finishes()
    {
        GatedObjectStore? store = null;
        await using var server = await DirektTestServer.StartAsync(services: s => s.AddSingleton<IObjectStore>(provider =>
            store = new GatedObjectStore(new FileSystemObjectStore(
                provider.GetRequiredService<Direkt.Configuration.Loading.DirektConfiguration>().Options.ObjectStore.Filesystem.Root))));
        (await server.Client.PostAsync("/drain/x", TestImages.Jpeg(64, 48))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await server.Client.GetAsync("/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        store!.HoldVariantWrites();
        var running = server.Client.GetAsync("/assets/drain/x/-/content?w=20");
        await WaitUntil(() => store.HeldWrites == 1);

        var stopping = server.StopAsync();
        await WaitUntil(() => server.Services.GetRequiredService<Direkt.Http.Draining>().IsDraining);
        using var probe = new HttpClient { BaseAddress = server.Client.BaseAddress };
        var ready = await probe.GetAsync("/ready");

        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "the stop signal flips readiness before the host stops");
        (await ready.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:draining");
        ready.Headers.RetryAfter.Should().NotBeNull();
        stopping.IsCompleted.Should().BeFalse("the host waits for the running generation");
        running.IsCompleted.Should().BeFalse();

        store.ReleaseVariantWrites();
        var answer = await running;
        await stopping;

        answer.StatusCode.Should().Be(HttpStatusCode.OK, "running work finishes within shutdown-grace");
        using var image = NetVips.Image.NewFromBuffer(await answer.Content.ReadAsByteArrayAsync());
        image.Width.Should().Be(20);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition()) await Task.Delay(5, timeout.Token);
    }
}
