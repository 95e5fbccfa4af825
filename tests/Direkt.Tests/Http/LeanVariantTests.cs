using System.Text;
using Direkt.Tests.Support;
using NetVips;

namespace Direkt.Tests.Http;

/// <summary>
/// Variants carry no camera metadata unless asked (API.md §4 `strip`): no EXIF (GPS!), IPTC or XMP by default, everything
/// with `strip=none`, and an ICC profile only where the pixels are not sRGB. Checked with libvips' fields and in the bytes.
/// </summary>
public sealed class LeanVariantTests : IAsyncLifetime
{
    private DirektTestServer _server = null!;
    private HttpClient Client => _server.Client;

    public async Task InitializeAsync() => _server = await DirektTestServer.StartAsync("");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<byte[]> Get(string url)
    {
        var response = await Client.GetAsync(url);
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, url);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static bool Has(Image image, string field) => image.GetTypeOf(field) != IntPtr.Zero;

    private static bool Contains(byte[] bytes, string text) => bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(text)) >= 0;

    [Fact]
    public async Task The_fixture_really_carries_gps_xmp_iptc_and_a_thumbnail()
    {
        var photo = CameraPhoto.Jpeg(640, 480);
        using var image = Image.NewFromBuffer(photo);

        Has(image, "exif-ifd3-GPSLatitude").Should().BeTrue();
        ((string)image.Get("exif-ifd3-GPSLatitude")).Should().StartWith("51/1 30/1 2600/100");
        ((string)image.Get("exif-ifd0-Make")).Should().StartWith(CameraPhoto.Make);
        Has(image, "xmp-data").Should().BeTrue();
        Has(image, "iptc-data").Should().BeTrue();
        ((byte[])image.Get("exif-data")).Length.Should().BeGreaterThan(10_000, "the EXIF block embeds a thumbnail");
    }

    [Theory]
    [InlineData("jpg")]
    [InlineData("webp")]
    [InlineData("avif")]
    [InlineData("png")]
    public async Task A_default_variant_has_no_exif_iptc_or_xmp_and_strip_none_keeps_them(string format)
    {
        await Client.PostAsync("/lean/" + format, CameraPhoto.Jpeg(640, 480));

        var lean = await Get($"/assets/lean/{format}/-/content?w=200&format={format}");
        var full = await Get($"/assets/lean/{format}/-/content?w=200&format={format}&strip=none");

        using (var image = Image.NewFromBuffer(lean))
        {
            Has(image, "exif-data").Should().BeFalse();
            Has(image, "xmp-data").Should().BeFalse();
            Has(image, "iptc-data").Should().BeFalse();
            Has(image, "icc-profile-data").Should().BeFalse("the photo is sRGB");
        }
        foreach (var marker in new[] { "Exif\0\0", CameraPhoto.Make, "xmpmeta", "GPSLatitude", "Photoshop 3.0", CameraPhoto.Caption })
            Contains(lean, marker).Should().BeFalse($"{marker} must not reach a browser by default");

        using (var image = Image.NewFromBuffer(full))
        {
            Has(image, "exif-ifd3-GPSLatitude").Should().BeTrue();
            ((string)image.Get("exif-ifd0-Make")).Should().StartWith(CameraPhoto.Make);
            if (format != "avif") Has(image, "xmp-data").Should().BeTrue("this libvips writes XMP into {0}", format);
        }
        Contains(full, CameraPhoto.Make).Should().BeTrue();
        if (format == "jpg") Contains(full, CameraPhoto.Caption).Should().BeTrue("JPEG carries IPTC");
    }

    [Fact]
    public async Task Strip_exif_removes_exif_only()
    {
        await Client.PostAsync("/lean/partial", CameraPhoto.Jpeg(320, 240));

        var bytes = await Get("/assets/lean/partial/-/content?w=100&format=jpg&strip=exif");

        using var image = Image.NewFromBuffer(bytes);
        Has(image, "exif-data").Should().BeFalse();
        Contains(bytes, CameraPhoto.Make).Should().BeFalse();
        Has(image, "xmp-data").Should().BeTrue();
        Contains(bytes, CameraPhoto.Caption).Should().BeTrue();
    }

    [Fact]
    public async Task An_srgb_variant_drops_its_profile_and_a_display_p3_one_keeps_it()
    {
        var srgb = CameraPhoto.Jpeg(320, 240, iccProfile: "srgb");
        var p3 = CameraPhoto.Jpeg(320, 240, iccProfile: "p3");
        using (var s = Image.NewFromBuffer(srgb)) Has(s, "icc-profile-data").Should().BeTrue("the fixture embeds sRGB");
        using (var p = Image.NewFromBuffer(p3)) Has(p, "icc-profile-data").Should().BeTrue("the fixture embeds Display P3");
        await Client.PostAsync("/icc/srgb", srgb);
        await Client.PostAsync("/icc/p3", p3);

        foreach (var format in new[] { "jpg", "webp", "png" })
        {
            using var fromSrgb = Image.NewFromBuffer(await Get($"/assets/icc/srgb/-/content?w=100&format={format}"));
            using var fromP3 = Image.NewFromBuffer(await Get($"/assets/icc/p3/-/content?w=100&format={format}"));
            using var keptSrgb = Image.NewFromBuffer(await Get($"/assets/icc/srgb/-/content?w=100&format={format}&strip=none"));

            Has(fromSrgb, "icc-profile-data").Should().BeFalse(format);
            Has(fromP3, "icc-profile-data").Should().BeTrue(format);
            ((byte[])fromP3.Get("icc-profile-data")).Should().Equal((byte[])Image.NewFromBuffer(p3).Get("icc-profile-data"));
            Has(keptSrgb, "icc-profile-data").Should().BeTrue("strip=none keeps everything");
        }
    }

    /// <summary>
    /// An 800 px q80 variant of a camera photo is as small as libvips' own thumbnail with the same saver options and no
    /// metadata: the embedded EXIF thumbnail (tens of KB) is gone.
    /// </summary>
    [Fact]
    public async Task An_800px_jpeg_variant_is_within_5_percent_of_vips_thumbnail()
    {
        var photo = CameraPhoto.Jpeg(2400, 1600);
        await Client.PostAsync("/size/photo", photo);

        var variant = await Get("/assets/size/photo/-/content?w=800&format=jpg&q=80");

        using var reference = Image.ThumbnailBuffer(photo, 800);
        var expected = reference.JpegsaveBuffer(q: 80, optimizeCoding: true, interlace: false, keep: Enums.ForeignKeep.None);
        var withMetadata = await Get("/assets/size/photo/-/content?w=800&format=jpg&q=80&strip=none");
        withMetadata.Length.Should().BeGreaterThan(expected.Length + 10_000, "the fixture's metadata is large");
        ((double)variant.Length).Should().BeInRange(expected.Length * 0.95, expected.Length * 1.05);
    }
}
