using NetVips;

namespace Direkt.Imaging.Tests.Loading;

public sealed class JpegScansTests : IDisposable
{
    private readonly Samples _samples = new();

    public void Dispose() => _samples.Dispose();

    private static int Count(byte[] bytes, int stopAfter = int.MaxValue) => JpegScans.Count(new MemoryStream(bytes), stopAfter);

    [Fact]
    public void A_baseline_jpeg_has_one_scan_and_libjpegs_progression_ten()
    {
        using var image = Samples.Rgb(200, 120);

        Count(image.JpegsaveBuffer()).Should().Be(1);
        Count(image.JpegsaveBuffer(interlace: true)).Should().Be(10);
    }

    [Fact]
    public void Restart_markers_and_stuffed_bytes_inside_a_scan_do_not_end_it()
    {
        using var noise = Image.Gaussnoise(256, 256, mean: 128, sigma: 90).Cast(Enums.BandFormat.Uchar);
        var jpeg = noise.JpegsaveBuffer(q: 100, restartInterval: 1, interlace: true);
        // The fixture must really contain what the walker has to step over.
        var pairs = jpeg.Zip(jpeg.Skip(1)).ToList();
        pairs.Count(p => p is { First: 0xFF, Second: 0x00 }).Should().BeGreaterThan(10);
        pairs.Count(p => p is { First: 0xFF, Second: >= 0xD0 and <= 0xD7 }).Should().BeGreaterThan(10);

        Count(jpeg).Should().Be(6, "libjpeg's progression for one component has 6 scans");
        Count(noise.JpegsaveBuffer(q: 100, restartInterval: 1)).Should().Be(1);
    }

    [Fact]
    public void A_hand_built_jpeg_has_the_scans_it_was_built_with()
    {
        Count(ManyScanJpeg.Build(32, 24, refinementsPerBand: 7)).Should().Be(ManyScanJpeg.ScanCount(7)).And.Be(505);
        Count(ManyScanJpeg.Build(32, 24, refinementsPerBand: 7), stopAfter: 101).Should().Be(101);
    }

    [Fact]
    public void Not_a_jpeg_and_truncated_streams_count_what_they_have()
    {
        using var image = Samples.Rgb(64, 64);
        var progressive = image.JpegsaveBuffer(interlace: true);

        Count(image.PngsaveBuffer()).Should().Be(0);
        Count([]).Should().Be(0);
        Count(progressive[..(progressive.Length / 2)]).Should().BeInRange(1, 9);
    }

    [Fact]
    public async Task A_jpeg_with_505_scans_is_refused_before_decoding_and_decodes_when_the_limit_allows_it()
    {
        var jpeg = ManyScanJpeg.Build(32, 24, refinementsPerBand: 7);
        var inspector = new ImageInspector(FormatCapabilities.Detect());
        var path = _samples.Write(jpeg);

        var refused = () => inspector.InspectAsync(path, new ImagingLimits(), default);
        (await refused.Should().ThrowAsync<ImageTooComplexException>()).WithMessage("*more than 100 scans*");

        var attributes = await inspector.InspectAsync(path, new ImagingLimits { MaxJpegScans = 1000 }, default);
        attributes.Should().Be(new ImageAttributes(32, 24, ImageFormat.Jpeg, 1, 0, "grayscale", 1));
        using var decoded = Image.NewFromFile(path, failOn: Enums.FailOn.Warning);
        decoded.Getpoint(3, 3).Should().Equal(ManyScanJpeg.Dark);
        decoded.Getpoint(11, 3).Should().Equal(ManyScanJpeg.Light);
        decoded.Getpoint(11, 11).Should().Equal(ManyScanJpeg.Dark);
        decoded.Getpoint(27, 19).Should().Equal(ManyScanJpeg.Light);
    }
}
