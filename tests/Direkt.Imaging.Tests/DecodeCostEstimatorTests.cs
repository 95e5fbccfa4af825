using NetVips;

namespace Direkt.Imaging.Tests;

/// <summary>
/// A progressive JPEG holds libjpeg's coefficients of every component: 2 bytes each, chroma as subsampled. 4:4:4 and CMYK
/// therefore cost two and almost three times a 4:2:0 photo of the same size; 16-bit samples count twice.
/// </summary>
public sealed class DecodeCostEstimatorTests : IDisposable
{
    private readonly Samples _samples = new();

    public void Dispose() => _samples.Dispose();

    private long Decoded(byte[] bytes) => DecodeCostEstimator.Estimate(_samples.Write(bytes)) - DecodeCostEstimator.Overhead;

    [Fact]
    public void Progressive_jpeg_counts_its_components_and_their_subsampling()
    {
        using var image = Samples.Rgb(400, 300);
        using var cmyk = image.Colourspace(Enums.Interpretation.Cmyk);
        const long pixels = 400 * 300;

        Decoded(image.JpegsaveBuffer(interlace: true, subsampleMode: Enums.ForeignSubsample.On)).Should().Be(pixels * 3);
        Decoded(image.JpegsaveBuffer(interlace: true, subsampleMode: Enums.ForeignSubsample.Off)).Should().Be(pixels * 6);
        Decoded(cmyk.JpegsaveBuffer(interlace: true, subsampleMode: Enums.ForeignSubsample.Off)).Should().Be(pixels * 8);
        Decoded(image.JpegsaveBuffer(interlace: false)).Should().Be(pixels * 3 / 64, "a baseline JPEG shrinks while decoding");
    }

    [Fact]
    public void Sixteen_bit_samples_count_twice()
    {
        using var image = Samples.Rgb(200, 100);
        using var wide = image.Cast(Enums.BandFormat.Ushort) * 257;
        using var rgb16 = wide.Cast(Enums.BandFormat.Ushort).Copy(interpretation: Enums.Interpretation.Rgb16);

        Decoded(rgb16.TiffsaveBuffer()).Should().Be(200 * 100 * 3 * 2);
        Decoded(image.TiffsaveBuffer()).Should().Be(200 * 100 * 3);
    }
}
