using System.Net;
using Direkt.Tests.Support;
using Direkt.Variants;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

/// <summary>
/// The whole job is judged from the header: a variant whose final canvas (padding included, every frame) breaks the output
/// limits is a 400 before any pixel is decoded; a step libvips refuses on an unusual image is a 422, never a 500.
/// </summary>
public sealed class OutputLimitTests : IAsyncLifetime
{
    private DirektTestServer _server = null!;
    private HttpClient Client => _server.Client;
    private VariantCounters Counters => _server.Services.GetRequiredService<VariantCounters>();

    public async Task InitializeAsync() => _server = await DirektTestServer.StartAsync("""
        limits { max-output-dimension = 2000, max-output-pixels = 1000000 }
        """);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task ShouldBeOutputTooLarge(string url, string detail)
    {
        var response = await Client.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        var problem = await response.JsonAsync();
        problem.GetProperty("type").GetString().Should().Be("urn:direkt:problem:output-too-large");
        problem.GetProperty("detail").GetString().Should().Contain(detail);
    }

    [Fact]
    public async Task Padding_counts_against_the_largest_side()
    {
        (await Client.PostAsync("/limits/pad", TestImages.Png(320, 240))).StatusCode.Should().Be(HttpStatusCode.Created);

        await ShouldBeOutputTooLarge("/assets/limits/pad/-/content?format=webp&w=800&h=800&fit=stretch&enlarge=true&pad=700",
            "2200×2200");
        Counters.Generated.Should().Be(0, "nothing was rendered");

        var admitted = await Client.GetAsync("/assets/limits/pad/-/content?format=png&w=800&h=800&fit=stretch&enlarge=true&pad=100&pad-c=%23ffffff");
        admitted.StatusCode.Should().Be(HttpStatusCode.OK);
        var bytes = await admitted.Content.ReadAsByteArrayAsync();
        Pixels.Size(bytes).Should().Be((1000, 1000));
        Pixels.At(bytes, 0, 0).Should().Equal(255, 255, 255);
    }

    [Fact]
    public async Task Frames_times_pixels_count_against_the_pixel_limit()
    {
        (await Client.PostAsync("/limits/anim", TestImages.AnimatedGif(300, 300, 12))).StatusCode.Should().Be(HttpStatusCode.Created);

        await ShouldBeOutputTooLarge("/assets/limits/anim/-/content?format=gif", "12 frames");
        var still = await Client.GetAsync("/assets/limits/anim/-/content?format=png");
        still.StatusCode.Should().Be(HttpStatusCode.OK, "one frame of 300 × 300 is within the limit");
        Pixels.Size(await still.Content.ReadAsByteArrayAsync()).Should().Be((300, 300));
    }

    [Fact]
    public async Task A_multiband_tiff_takes_padding_in_every_band_and_sepia_is_422()
    {
        (await Client.PostAsync("/limits/five", TestImages.FiveBandTiff(24, 18))).StatusCode.Should().Be(HttpStatusCode.Created);

        var padded = await Client.GetAsync("/assets/limits/five/-/content?format=png&pad=3&pad-c=%2300ff00");
        padded.StatusCode.Should().Be(HttpStatusCode.OK, await padded.Content.ReadAsStringAsync());
        var bytes = await padded.Content.ReadAsByteArrayAsync();
        Pixels.Size(bytes).Should().Be((30, 24));
        Pixels.At(bytes, 0, 0).Take(3).Should().Equal(0, 255, 0);

        // Sepia recombines exactly three colour bands: libvips refuses five, which is the image's limit, not a server fault.
        var sepia = await Client.GetAsync("/assets/limits/five/-/content?format=webp&filter=sepia");
        sepia.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await sepia.JsonAsync()).GetProperty("detail").GetString().Should().Contain("filter");

        foreach (var query in new[] { "filter=grayscale", "cs=p3", "blur=2&pad=1" })
        {
            var response = await Client.GetAsync($"/assets/limits/five/-/content?format=webp&{query}");
            response.StatusCode.Should().Be(HttpStatusCode.OK, query);
            Pixels.Size(await response.Content.ReadAsByteArrayAsync()).Should().Be(query.Contains("pad") ? (26, 20) : (24, 18), query);
        }
    }
}
