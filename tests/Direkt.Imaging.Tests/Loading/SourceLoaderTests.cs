using NetVips;

namespace Direkt.Imaging.Tests.Loading;

/// <summary>
/// Only the loaders of <see cref="ImageFormat"/> ever read an upload: other libvips formats (its own .v files, matrix and
/// CSV text, SVG) are refused before and inside libvips, and a file is read by the loader its bytes name.
/// </summary>
public sealed class SourceLoaderTests : IDisposable
{
    private static readonly FormatCapabilities Capabilities = FormatCapabilities.Detect();
    private readonly Samples _samples = new();
    private readonly ImageInspector _inspector = new(Capabilities);

    public SourceLoaderTests() => LibvipsRuntime.Initialize(0);

    public void Dispose() => _samples.Dispose();

    private Task<ImageAttributes> Inspect(byte[] bytes) => _inspector.InspectAsync(_samples.Write(bytes), new ImagingLimits(), default);

    public static TheoryData<string, byte[]> OtherLibvipsFormats()
    {
        using var image = Samples.Rgb(16, 16);
        var folder = Directory.CreateTempSubdirectory("direkt-vips-").FullName;
        var native = Path.Combine(folder, "native.v");
        image.WriteToFile(native);
        var bytes = File.ReadAllBytes(native);
        Directory.Delete(folder, recursive: true);
        return new TheoryData<string, byte[]>
        {
            { "vips", bytes },
            { "matrix", "2 2\n1 2\n3 4\n"u8.ToArray() },
            { "csv", "1,2,3\n4,5,6\n"u8.ToArray() },
            { "svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>"u8.ToArray() },
        };
    }

    [Theory]
    [MemberData(nameof(OtherLibvipsFormats))]
    public async Task Other_libvips_formats_are_unsupported(string kind, byte[] bytes)
    {
        var act = () => Inspect(bytes);

        await act.Should().ThrowAsync<UnsupportedImageException>(kind);
    }

    [Fact]
    public void Libvips_itself_refuses_its_native_format_once_loaders_are_restricted()
    {
        LibvipsRuntime.LoadersRestricted.Should().BeTrue("libvips {0} offers operation blocking", NetVips.NetVips.Version(1));
        using var image = Samples.Rgb(8, 8);
        var path = _samples.Write([]) + ".v";
        image.WriteToFile(path);

        var load = () => Image.NewFromFile(path).Avg();
        var matrix = () => Image.NewFromFile(_samples.Write("2 2\n1 2\n3 4\n"u8.ToArray()) ).Avg();

        load.Should().Throw<VipsException>();
        matrix.Should().Throw<VipsException>();
        using var jpeg = Image.NewFromBuffer(image.JpegsaveBuffer());
        jpeg.Width.Should().Be(8, "the loaders Direkt uses stay available");
    }

    /// <summary>
    /// An AVIF whose ftyp names the image-sequence brand <c>avis</c> (this libvips writes no sequences, so the box is
    /// rewritten around a real AVIF): libvips' own detection does not know the brand, the sniffer does, and the sniffed
    /// loader reads it.
    /// </summary>
    [Fact]
    public async Task An_avif_branded_as_an_image_sequence_is_accepted_and_read_by_heifload()
    {
        using var image = Samples.Rgb(40, 30);
        var avif = image.HeifsaveBuffer(compression: Enums.ForeignHeifCompression.Av1, lossless: true);
        System.Text.Encoding.ASCII.GetString(avif, 4, 8).Should().Be("ftypavif");
        var avis = (byte[])avif.Clone();
        "avis"u8.CopyTo(avis.AsSpan(8));
        var path = _samples.Write(avis);

        ImageSniffer.Detect(avis).Should().Be(ImageFormat.Avif);
        // The bundled libvips' own detection refuses the avis brand (Debian's finds its ImageMagick module, which Direkt blocks).
        if (LibvipsRuntime.Library.StartsWith("bundled", StringComparison.Ordinal))
            Image.FindLoad(path).Should().BeNullOrEmpty("libvips' own detection refuses the avis brand");
        var attributes = await _inspector.InspectAsync(path, new ImagingLimits(), default);

        attributes.Should().Be(new ImageAttributes(40, 30, ImageFormat.Avif, 1, 0, "srgb", 1));
        using var decoded = (Image)Operation.Call(ImageFormat.Avif.Loader!, path);
        decoded.Get("vips-loader").Should().Be("heifload");
        decoded.Getpoint(39, 29)[0].Should().BeApproximately(255, 2);
    }

    [Fact]
    public async Task A_file_libvips_would_read_with_another_loader_is_refused()
    {
        // A JPEG signature in front of PNG bytes: the sniffer says JPEG, but the bytes are no JPEG.
        using var image = Samples.Rgb(8, 8);
        byte[] polyglot = [0xFF, 0xD8, 0xFF, .. image.PngsaveBuffer()];

        var act = () => Inspect(polyglot);

        await act.Should().ThrowAsync<ImagingException>();
    }
}
