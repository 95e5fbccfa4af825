using NetVips;

namespace Direkt.Imaging.Tests;

public sealed class ImageSnifferTests
{
    [Fact]
    public void Every_writable_format_is_recognised_from_its_bytes()
    {
        using var image = Samples.Rgb(16, 16);

        ImageSniffer.Detect(image.JpegsaveBuffer()).Should().Be(ImageFormat.Jpeg);
        ImageSniffer.Detect(image.PngsaveBuffer()).Should().Be(ImageFormat.Png);
        ImageSniffer.Detect(image.WebpsaveBuffer()).Should().Be(ImageFormat.Webp);
        ImageSniffer.Detect(image.GifsaveBuffer()).Should().Be(ImageFormat.Gif);
        ImageSniffer.Detect(image.TiffsaveBuffer()).Should().Be(ImageFormat.Tiff);
        ImageSniffer.Detect(image.HeifsaveBuffer(compression: Enums.ForeignHeifCompression.Av1)).Should().Be(ImageFormat.Avif);
    }

    [Theory]
    [InlineData("hello, I am text")]
    [InlineData("<!DOCTYPE html><html><body>x</body></html>")]
    [InlineData("%PDF-1.7\n%âãÏÓ")]
    [InlineData("")]
    public void Things_that_are_not_images_are_not_recognised(string text) =>
        ImageSniffer.Detect(System.Text.Encoding.UTF8.GetBytes(text)).Should().BeNull();

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")]
    [InlineData("\uFEFF<?xml version=\"1.0\"?>\n<!-- drawn by hand -->\n<!DOCTYPE svg>\n  <svg/>")]
    public void Svg_is_recognised_through_its_prologue(string text) =>
        ImageSniffer.Detect(System.Text.Encoding.UTF8.GetBytes(text)).Should().Be(ImageFormat.Svg);

    [Fact]
    public void Heic_and_jxl_signatures_are_recognised()
    {
        byte[] heic = [0, 0, 0, 24, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1heic"u8];
        byte[] avifByCompatibleBrand = [0, 0, 0, 24, .. "ftypmif1"u8, 0, 0, 0, 0, .. "mif1avif"u8];
        byte[] jxl = [0xFF, 0x0A, 1, 2];

        ImageSniffer.Detect(heic).Should().Be(ImageFormat.Heic);
        ImageSniffer.Detect(avifByCompatibleBrand).Should().Be(ImageFormat.Avif);
        ImageSniffer.Detect(jxl).Should().Be(ImageFormat.Jxl);
    }

    [Theory]
    [InlineData("jpeg", "jpg")]
    [InlineData("JPG", "jpg")]
    [InlineData("tif", "tiff")]
    [InlineData("webp", "webp")]
    public void Formats_parse_by_name_and_alias(string name, string canonical)
    {
        ImageFormat.TryParse(name, out var format).Should().BeTrue();
        format!.Name.Should().Be(canonical);
    }
}

public sealed class FormatCapabilitiesTests
{
    [Fact]
    public void This_libvips_writes_the_expected_formats_and_jxl_and_heic_only_on_the_system_libvips()
    {
        var capabilities = FormatCapabilities.Detect();
        // The bundled libvips (NetVips.Native) has no HEVC and no JPEG XL codec; Debian 12's libvips42 has both.
        var system = LibvipsRuntime.Library.StartsWith("system", StringComparison.Ordinal);

        capabilities.Writable.Select(f => f.Name).Should().BeEquivalentTo(
            system ? ["jpg", "png", "webp", "avif", "gif", "tiff", "jxl", "heic"] : new[] { "jpg", "png", "webp", "avif", "gif", "tiff" });
        capabilities.CanWrite(ImageFormat.Jxl).Should().Be(system);
        capabilities.CanWrite(ImageFormat.Heic).Should().Be(system);
        capabilities.CanRead(ImageFormat.Jxl).Should().Be(system);
        capabilities.CanRead(ImageFormat.Heic).Should().Be(system);
        capabilities.Missing.Should().BeEquivalentTo(system ? [] : new[] { ImageFormat.Jxl, ImageFormat.Heic });
        capabilities.CanRead(ImageFormat.Jpeg).Should().BeTrue();
        capabilities.CanRead(ImageFormat.Avif).Should().BeTrue();
    }

    [Fact]
    public void A_missing_decoder_is_named_with_the_way_to_get_it() =>
        new FormatCapabilities([], []).MissingDecoder(ImageFormat.Heic).Should().Contain("image/heic").And.Contain("HEIF/HEVC")
            .And.Contain("heifload").And.Contain(LibvipsRuntime.Version).And.Contain("-p:DirektLibvips=system");

    [Fact]
    public void Initialization_reports_the_libvips_version() =>
        LibvipsRuntime.Initialize(0).Should().MatchRegex(@"^8\.\d+\.\d+$");
}

public sealed class ImageInspectorTests : IDisposable
{
    private static readonly FormatCapabilities Capabilities = FormatCapabilities.Detect();
    private readonly Samples _samples = new();
    private readonly ImageInspector _inspector = new(Capabilities);

    public void Dispose() => _samples.Dispose();

    private Task<ImageAttributes> Inspect(byte[] bytes, ImagingLimits? limits = null) =>
        _inspector.InspectAsync(_samples.Write(bytes), limits ?? new ImagingLimits(), default);

    [Fact]
    public async Task Still_formats_report_their_attributes()
    {
        using var image = Samples.Rgb(120, 80);

        (await Inspect(image.JpegsaveBuffer())).Should().Be(new ImageAttributes(120, 80, ImageFormat.Jpeg, 1, 0, "srgb", 1));
        (await Inspect(image.PngsaveBuffer())).Should().Be(new ImageAttributes(120, 80, ImageFormat.Png, 1, 0, "srgb", 1));
        (await Inspect(image.WebpsaveBuffer())).Should().Be(new ImageAttributes(120, 80, ImageFormat.Webp, 1, 0, "srgb", 1));
        (await Inspect(image.TiffsaveBuffer())).Should().Be(new ImageAttributes(120, 80, ImageFormat.Tiff, 1, 0, "srgb", 1));
        var avif = await Inspect(image.HeifsaveBuffer(compression: Enums.ForeignHeifCompression.Av1));
        avif.Width.Should().Be(120);
        avif.Height.Should().Be(80);
        avif.Format.Should().Be(ImageFormat.Avif);
    }

    [Fact]
    public async Task A_grayscale_png_reports_grayscale()
    {
        using var image = Samples.Rgb(10, 10);
        using var gray = image.Colourspace(Enums.Interpretation.Bw);

        (await Inspect(gray.PngsaveBuffer())).ColorSpace.Should().Be("grayscale");
    }

    [Fact]
    public async Task An_animated_gif_reports_frames_and_page_size()
    {
        var attributes = await Inspect(Samples.AnimatedGif(40, 30, frames: 3));

        attributes.Should().Be(new ImageAttributes(40, 30, ImageFormat.Gif, 3, 3, "srgb", 1));
    }

    [Fact]
    public async Task Exif_orientation_is_read()
    {
        using var image = Samples.Rgb(60, 40);
        using var oriented = image.Mutate(m => m.Set(GValue.GIntType, "orientation", 6));

        var attributes = await Inspect(oriented.JpegsaveBuffer());

        attributes.Orientation.Should().Be(6);
        attributes.Width.Should().Be(60);
        attributes.Height.Should().Be(40); // as stored
    }

    [Fact]
    public async Task Text_and_svg_are_unsupported()
    {
        var text = () => Inspect("just some text"u8.ToArray());
        var svg = () => Inspect("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>"u8.ToArray());

        await text.Should().ThrowAsync<UnsupportedImageException>();
        await svg.Should().ThrowAsync<UnsupportedImageException>().WithMessage("*SVG*");
    }

    [Fact]
    public async Task A_truncated_jpeg_is_corrupt()
    {
        using var image = Samples.Rgb(400, 300);
        var jpeg = image.JpegsaveBuffer();

        var act = () => Inspect(jpeg[..(jpeg.Length / 2)]);

        await act.Should().ThrowAsync<CorruptImageException>();
    }

    [Fact]
    public async Task Garbage_after_a_png_signature_is_corrupt_because_it_claims_to_be_a_png()
    {
        byte[] bytes = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. new byte[200]];

        var act = () => Inspect(bytes);

        await act.Should().ThrowAsync<CorruptImageException>();
    }

    [Fact]
    public async Task A_decompression_bomb_is_refused_from_its_header()
    {
        var bomb = Samples.PngBomb(50_000, 50_000);
        bomb.Length.Should().BeLessThan(100);

        var act = () => Inspect(bomb);

        (await act.Should().ThrowAsync<ImageTooLargeException>()).WithMessage("*50000×50000×1 = 2500000000 pixels*268402689*");
    }

    [Fact]
    public async Task Too_many_frames_are_refused()
    {
        var act = () => Inspect(Samples.AnimatedGif(8, 8, frames: 4), new ImagingLimits { MaxAnimationFrames = 3 });

        await act.Should().ThrowAsync<ImageTooLargeException>().WithMessage("*4 frames*3*");
    }

    [Fact]
    public async Task The_pixel_limit_counts_every_page()
    {
        var act = () => Inspect(Samples.AnimatedGif(10, 10, frames: 3), new ImagingLimits { MaxSourcePixels = 299 });

        await act.Should().ThrowAsync<ImageTooLargeException>();
    }
}
