using System.Net;
using Direkt.Storage.Objects;
using Direkt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

/// <summary>A variant whose generation failed is remembered for 60 s (issue 12): repeats fail fast, with the same problem.</summary>
public sealed class FailedVariantTests
{
    [Fact]
    public async Task A_timed_out_variant_fails_again_at_once_while_other_variants_are_made()
    {
        GatedObjectStore? store = null;
        await using var server = await DirektTestServer.StartAsync("variant-generation.job-timeout = 3s",
            services: s => s.AddSingleton<IObjectStore>(provider => store = new GatedObjectStore(new FileSystemObjectStore(
                provider.GetRequiredService<Direkt.Configuration.Loading.DirektConfiguration>().Options.ObjectStore.Filesystem.Root))));
        (await server.Client.PostAsync("/slow/x", TestImages.Jpeg(160, 120))).StatusCode.Should().Be(HttpStatusCode.Created);
        store!.HoldVariantWrites();
        (await server.Client.GetAsync("/assets/slow/x/-/content?w=500&format=avif")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        store.ReleaseVariantWrites(); // a new attempt would succeed now: only the remembered failure can answer 503

        var started = DateTimeOffset.UtcNow;
        var repeat = await server.Client.GetAsync("/assets/slow/x/-/content?w=500&format=avif");

        repeat.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await repeat.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:job-timeout");
        (DateTimeOffset.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(3), "it did not wait for a worker and the timeout again");
        (await server.Client.GetAsync("/assets/slow/x/-/content?w=50&format=avif")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
