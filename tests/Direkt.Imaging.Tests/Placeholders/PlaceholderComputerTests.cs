using Direkt.Imaging.Placeholders;
using NetVips;

namespace Direkt.Imaging.Tests.Placeholders;

public sealed class PlaceholderComputerTests : IDisposable
{
    private readonly Samples _samples = new();

    public void Dispose() => _samples.Dispose();

    /// <summary>
    /// An image already inside 100×100 is hashed pixel for pixel, so a PNG of a reference pattern gives the reference
    /// strings (see <see cref="BlurHashTests"/> and <see cref="ThumbHashTests"/>).
    /// </summary>
    [Fact]
    public void A_small_image_is_hashed_as_it_is()
    {
        var path = Png(SyntheticImages.Create("noise", 100, 75), 100, 75);

        var placeholders = PlaceholderComputer.Compute(path, blurhash: true, thumbhash: true);

        placeholders.Blurhash.Should().Be("L4HV6o$^WXxl%wmGmpU$lGjFq|d5");
        placeholders.Thumbhash.Should().Be("HwgCDYJlZFQ1BalY1DSKVpxKj4cv");
    }

    [Fact]
    public void An_image_smaller_than_the_thumbnail_is_not_enlarged()
    {
        var pixels = SyntheticImages.Create("noisyalpha", 20, 15);
        var path = Png(pixels, 20, 15);

        var placeholders = PlaceholderComputer.Compute(path, blurhash: true, thumbhash: true);

        placeholders.Blurhash.Should().Be(BlurHash.Encode(pixels, 20, 15));
        placeholders.Thumbhash.Should().Be(ThumbHash.EncodeBase64(pixels, 20, 15));
    }

    [Fact]
    public void Only_the_requested_hashes_are_computed()
    {
        var path = Png(SyntheticImages.Create("noise", 40, 30), 40, 30);

        PlaceholderComputer.Compute(path, blurhash: true, thumbhash: false).Thumbhash.Should().BeNull();
        PlaceholderComputer.Compute(path, blurhash: false, thumbhash: true).Blurhash.Should().BeNull();
        PlaceholderComputer.Compute(path, blurhash: false, thumbhash: true).Thumbhash.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void Nothing_is_read_when_nothing_is_requested()
    {
        var placeholders = PlaceholderComputer.Compute("/does/not/exist.png", blurhash: false, thumbhash: false);

        placeholders.Should().Be(new PlaceholderHashes(null, null));
    }

    [Fact]
    public void A_large_image_is_shrunk_keeping_its_colour_and_shape()
    {
        using var red = Solid(2000, 1000, 255, 0, 0);
        var path = _samples.Write(red.PngsaveBuffer(compression: 1), "red");

        var placeholders = PlaceholderComputer.Compute(path, blurhash: true, thumbhash: true);

        BlurHashDecoder.Parse(placeholders.Blurhash!).Average.Should().Be(((byte)255, (byte)0, (byte)0));
        var thumb = ThumbHashDecoder.Parse(Bytes(placeholders.Thumbhash!));
        thumb.IsLandscape.Should().BeTrue();
        (thumb.Lx, thumb.LCount).Should().Be((7, 4)); // 100×50: round(7 · 50/100) = round(3.5) = 4
        thumb.HasAlpha.Should().BeFalse();
        (thumb.AverageRgba().R * 255).Should().BeApproximately(255, 4);
    }

    [Fact]
    public void Greyscale_is_read_as_grey_sRGB()
    {
        using var grey = Image.Black(64, 48) + 100;
        using var grey8 = grey.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Bw);
        var path = _samples.Write(grey8.PngsaveBuffer(), "grey");

        var placeholders = PlaceholderComputer.Compute(path, blurhash: true, thumbhash: true);

        BlurHashDecoder.Parse(placeholders.Blurhash!).Average.Should().Be(((byte)100, (byte)100, (byte)100));
        ThumbHashDecoder.Parse(Bytes(placeholders.Thumbhash!)).HasAlpha.Should().BeFalse();
    }

    [Fact]
    public void Greyscale_with_alpha_keeps_its_alpha()
    {
        using var grey = (Image.Black(50, 50) + 200).Cast(Enums.BandFormat.Uchar);
        using var alpha = Image.Xyz(50, 50)[0].Cast(Enums.BandFormat.Uchar) * 5;
        using var greyAlpha = grey.Bandjoin(alpha.Cast(Enums.BandFormat.Uchar)).Copy(interpretation: Enums.Interpretation.Bw);
        var path = _samples.Write(greyAlpha.PngsaveBuffer(), "grey-alpha");

        var thumb = ThumbHashDecoder.Parse(Bytes(PlaceholderComputer.Compute(path, false, true).Thumbhash!));

        thumb.HasAlpha.Should().BeTrue();
        (thumb.AverageRgba().G * 255).Should().BeApproximately(200, 5);
    }

    [Fact]
    public void Transparency_reaches_the_thumbhash()
    {
        var path = Png(SyntheticImages.Create("disc", 90, 60), 90, 60);

        var thumb = ThumbHashDecoder.Parse(Bytes(PlaceholderComputer.Compute(path, false, true).Thumbhash!));

        thumb.HasAlpha.Should().BeTrue();
        thumb.ADc.Should().BeLessThan(0.5);
    }

    [Fact]
    public void Sixteen_bit_images_are_scaled_to_eight_bits_not_clipped()
    {
        using var colour = Solid(40, 40, 200, 100, 50);
        using var wide = colour.Cast(Enums.BandFormat.Ushort) * 257;
        using var colour16 = wide.Cast(Enums.BandFormat.Ushort).Copy(interpretation: Enums.Interpretation.Rgb16);
        var path = _samples.Write(colour16.PngsaveBuffer(), "colour16");

        var placeholders = PlaceholderComputer.Compute(path, blurhash: true, thumbhash: false);

        BlurHashDecoder.Parse(placeholders.Blurhash!).Average.Should().Be(((byte)200, (byte)100, (byte)50));
    }

    [Fact]
    public void Cmyk_is_converted_to_sRGB()
    {
        using var colour = Solid(60, 40, 200, 100, 50);
        using var cmyk = colour.Colourspace(Enums.Interpretation.Cmyk);
        var path = _samples.Write(cmyk.JpegsaveBuffer(q: 98), "cmyk");

        var average = BlurHashDecoder.Parse(PlaceholderComputer.Compute(path, true, false).Blurhash!).Average;

        // Through a CMYK profile and JPEG and back: close, not exact.
        ((int)average.R).Should().BeCloseTo(200, 12);
        ((int)average.G).Should().BeCloseTo(100, 12);
        ((int)average.B).Should().BeCloseTo(50, 12);
    }

    [Fact]
    public void The_exif_orientation_is_applied()
    {
        using var landscape = Solid(200, 100, 30, 60, 90);
        using var rotated = landscape.Mutate(m => m.Set(GValue.GIntType, "orientation", 6)); // displayed 100×200
        var path = _samples.Write(rotated.JpegsaveBuffer(q: 95), "oriented");

        var thumb = ThumbHashDecoder.Parse(Bytes(PlaceholderComputer.Compute(path, false, true).Thumbhash!));

        thumb.IsLandscape.Should().BeFalse();
        thumb.ApproximateAspectRatio.Should().BeApproximately(0.5, 0.1);
    }

    [Fact]
    public void An_animation_is_hashed_from_its_first_frame()
    {
        using var red = Solid(40, 30, 255, 0, 0);
        using var blue = Solid(40, 30, 0, 0, 255);
        using var strip = Image.Arrayjoin([red, blue, blue], across: 1);
        using var animated = strip.Mutate(m =>
        {
            m.Set(GValue.GIntType, "page-height", 30);
            m.Set(GValue.ArrayIntType, "delay", new[] { 100, 100, 100 });
        });
        var path = _samples.Write(animated.GifsaveBuffer(), "animated");

        var placeholders = PlaceholderComputer.Compute(path, blurhash: true, thumbhash: true);

        BlurHashDecoder.Parse(placeholders.Blurhash!).Average.Should().Be(((byte)255, (byte)0, (byte)0));
        var thumb = ThumbHashDecoder.Parse(Bytes(placeholders.Thumbhash!));
        (thumb.AverageRgba().R * 255).Should().BeApproximately(255, 4);
        (thumb.Lx, thumb.LCount).Should().Be((7, 5), "one 40×30 frame, not the 40×90 strip");
    }

    [Fact]
    public void A_file_that_is_not_an_image_fails_with_a_libvips_error()
    {
        var path = _samples.Write("not an image"u8.ToArray(), "text");

        var act = () => PlaceholderComputer.Compute(path, blurhash: true, thumbhash: true);

        act.Should().Throw<VipsException>();
    }

    private string Png(byte[] rgba, int width, int height)
    {
        using var raw = Image.NewFromMemory(rgba, width, height, 4, Enums.BandFormat.Uchar);
        using var image = raw.Copy(interpretation: Enums.Interpretation.Srgb);
        return _samples.Write(image.PngsaveBuffer(), "pattern");
    }

    private static Image Solid(int width, int height, byte r, byte g, byte b)
    {
        using var black = Image.Black(width, height, bands: 3);
        using var coloured = black + new double[] { r, g, b };
        return coloured.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
    }

    /// <summary>The unpadded base64 back to bytes (restoring the padding .NET insists on).</summary>
    private static byte[] Bytes(string thumbhash) => Convert.FromBase64String(thumbhash.PadRight((thumbhash.Length + 3) / 4 * 4, '='));
}
