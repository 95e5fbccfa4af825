using System.Net;
using Direkt.Tests.Support;
using NetVips;

namespace Direkt.Tests.Http;

/// <summary>
/// An AVIF with the image-sequence brand `avis` (libvips' own detection does not know the brand; this libvips writes no
/// sequences, so the ftyp box is rewritten around a real AVIF): stored, and its variants made by the sniffed loader.
/// </summary>
public sealed class AnimatedBrandAvifTests : IAsyncLifetime
{
    private DirektTestServer _server = null!;

    public async Task InitializeAsync() => _server = await DirektTestServer.StartAsync("");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_avis_upload_is_accepted_and_serves_variants()
    {
        using var red = (Image.Black(60, 40, bands: 3) + new double[] { 255, 0, 0 }).Cast(Enums.BandFormat.Uchar)
            .Copy(interpretation: Enums.Interpretation.Srgb);
        var avis = red.HeifsaveBuffer(compression: Enums.ForeignHeifCompression.Av1, lossless: true);
        System.Text.Encoding.ASCII.GetString(avis, 4, 8).Should().Be("ftypavif");
        "avis"u8.CopyTo(avis.AsSpan(8));
        Image.FindLoadBuffer(avis).Should().BeNullOrEmpty("libvips alone would refuse it");

        var stored = await _server.Client.PostAsync("/avis/x", avis);
        stored.StatusCode.Should().Be(HttpStatusCode.Created);
        var variant = await _server.Client.GetByteArrayAsync("/assets/avis/x/-/content?w=30&format=png");

        Pixels.Size(variant).Should().Be((30, 20));
        Pixels.At(variant, 15, 10)[0].Should().BeApproximately(255, 2);
        Pixels.At(variant, 15, 10)[1].Should().BeApproximately(0, 2);
    }
}
