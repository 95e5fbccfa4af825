using System.Net;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>A decode of user bytes at upload that runs past `job-timeout` is the image's fault: 422, and nothing is stored.</summary>
public sealed class UploadTimeoutTests
{
    [Fact]
    public async Task An_upload_whose_decode_times_out_is_422_decode_timeout_and_nothing_is_stored()
    {
        await using var server = await DirektTestServer.StartAsync("variant-generation.job-timeout = 1ms");

        // A progressive JPEG of noise: every scan must be entropy-decoded whatever the shrink, which takes far longer than the
        // timeout, even when a loaded machine delays the timer's callback (a smooth gradient decodes in a few ms: too close).
        using var noise = NetVips.Image.Gaussnoise(4000, 4000, mean: 128, sigma: 60);
        using var rgb = noise.Bandjoin(noise, noise).Cast(NetVips.Enums.BandFormat.Uchar).Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
        var response = await server.Client.PostAsync("/slow/x", rgb.JpegsaveBuffer(q: 95, interlace: true));

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, await response.Content.ReadAsStringAsync());
        (await response.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:decode-timeout");
        server.StoredFiles().Should().BeEmpty();
        (await server.Client.GetAsync("/assets/slow/x/-/content")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
