using System.Net;
using Direkt.Scheduling;
using Direkt.Storage.Records;
using Direkt.Tests.Support;
using Direkt.Variants;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

/// <summary>`limits.max-variants-per-asset`: past it, variants are served but never stored, and eager ones are skipped.</summary>
public sealed class VariantLimitTests
{
    [Fact]
    public async Task A_variant_past_the_limit_is_served_with_the_right_pixels_but_not_stored()
    {
        await using var server = await DirektTestServer.StartAsync("limits.max-variants-per-asset = 2");
        var counters = server.Services.GetRequiredService<VariantCounters>();
        var records = server.Services.GetRequiredService<IAssetRecords>();
        (await server.Client.PostAsync("/lim/photo", TestImages.Jpeg(200, 100))).StatusCode.Should().Be(HttpStatusCode.Created);
        foreach (var w in new[] { 50, 60 })
        {
            var stored = await server.Client.GetAsync($"/assets/lim/photo/-/content?w={w}");
            stored.Headers.GetValues("Cache-Status").Single().Should().Be("direkt; fwd=miss; stored");
        }
        var filesBefore = server.StoredFiles();
        filesBefore.Should().HaveCount(3, "the original and two variants");

        for (var i = 0; i < 2; i++)
        {
            var response = await server.Client.GetAsync("/assets/lim/photo/-/content?w=80&format=png");
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Headers.GetValues("Cache-Status").Single().Should().Be("direkt; fwd=miss; detail=not-stored",
                "not stored, so the repeat is generated again");
            response.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
            var bytes = await response.Content.ReadAsByteArrayAsync();
            response.Content.Headers.ContentLength.Should().Be(bytes.Length);
            Pixels.Size(bytes).Should().Be((80, 40));
            // The gradient runs left to right: the variant is the photo, not a blank canvas.
            Pixels.At(bytes, 79, 20)[0].Should().BeGreaterThan(Pixels.At(bytes, 0, 20)[0] + 100);
        }

        server.StoredFiles().Should().BeEquivalentTo(filesBefore, "no object was added");
        var asset = await records.GetAsync("/lim/photo", 0, VariantScope.All, default);
        asset!.Variants.Should().HaveCount(3, "no record was added");
        counters.NotStored.Should().Be(2);
        (await server.Client.GetAsync("/assets/lim/photo/-/content?w=50")).Headers.GetValues("Cache-Status").Single().Should().Be("direkt; hit");

        var metrics = await server.Client.GetStringAsync("/metrics");
        metrics.Should().Contain("direkt_variants_not_stored_total 2");
    }

    [Fact]
    public async Task A_range_of_an_unstored_variant_is_served_from_memory()
    {
        await using var server = await DirektTestServer.StartAsync("limits.max-variants-per-asset = 0");
        await server.Client.PostAsync("/lim/r", TestImages.Jpeg(64, 32));
        var whole = await (await server.Client.GetAsync("/assets/lim/r/-/content?w=30&format=png")).Content.ReadAsByteArrayAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/assets/lim/r/-/content?w=30&format=png");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1, 4);
        var part = await server.Client.SendAsync(request);
        part.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        (await part.Content.ReadAsByteArrayAsync()).Should().Equal(whole[1..5]);
        server.StoredFiles().Should().ContainSingle();
    }

    [Fact]
    public async Task Eager_variants_past_the_limit_are_skipped()
    {
        var profiles = string.Concat(Enumerable.Range(1, 3).Select(i => $"variant-profiles.e{i} {{ w = {20 + i}, format = webp }}\n"));
        // One worker: the eager variants run one after the other, so each sees the ones before it recorded.
        await using var server = await DirektTestServer.StartAsync(profiles + """
            limits.max-variants-per-asset = 2
            variant-generation.workers = 1
            paths { "/eager/**" { transform.eager-variants = [e1, e2, e3] } }
            """);
        var counters = server.Services.GetRequiredService<VariantCounters>();
        var pool = server.Services.GetRequiredService<WorkerPool>();

        (await server.Client.PostAsync("/eager/a", TestImages.Jpeg(200, 100))).StatusCode.Should().Be(HttpStatusCode.Created);
        await UpdateAndDeleteTests.Eventually(() => counters.Generated == 2 && pool.Busy == 0 && pool.Queued(JobQueue.Asynchronous) == 0,
            "the eager work is done");

        counters.EagerQueued.Should().Be(3);
        counters.NotStored.Should().Be(0, "a skipped eager variant is not generated at all");
        server.StoredFiles().Should().HaveCount(3, "the original and e1, e2");
        var third = await server.Client.GetAsync("/assets/eager/a/-/content?profile=e3");
        third.Headers.GetValues("Cache-Status").Single().Should().Be("direkt; fwd=miss; detail=not-stored");
        Pixels.Size(await third.Content.ReadAsByteArrayAsync()).Should().Be((23, 12));
    }
}
