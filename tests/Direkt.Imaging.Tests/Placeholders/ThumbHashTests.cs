using Direkt.Imaging.Placeholders;

namespace Direkt.Imaging.Tests.Placeholders;

/// <summary>
/// The ThumbHash encoder against (a) outputs of the reference encoder, (b) hashes derived by hand from the format
/// description, (c) properties read back with <see cref="ThumbHashDecoder"/>, a decoder written from the format
/// description for these tests (itself checked against the reference decoder's output for the reference demo hash).
/// </summary>
public sealed class ThumbHashTests
{
    /// <summary>
    /// Reference outputs: evanw/thumbhash's JavaScript encoder (npm <c>thumbhash</c> 0.1.1, <c>rgbaToThumbHash</c>) run on
    /// the <see cref="SyntheticImages"/> patterns. Patterns with exactly-zero DCT terms (symmetric ones, solid colours) are
    /// left out on purpose: there the reference's own AC nibbles are floating-point noise around 7.5.
    /// </summary>
    [Theory]
    [InlineData("noise", 23, 17, "1d2806158803321638789675675988763e8f9d4f7d")]
    [InlineData("noise", 17, 23, "1d2806150c043664867777687786686808ce9dbf68")]
    [InlineData("noise", 32, 32, "de1706170252015684835656858a88578775d7fde64cc900")]
    [InlineData("noise", 100, 75, "1f08020d826564543505a958d4348a569c4a8f872f")]
    [InlineData("noise", 100, 100, "1f080207024363347038992a4367783f7879d2a9f7aaaf00")]
    [InlineData("noise", 3, 2, "4aa9161d9085780a8588788788a877a08160470777")]
    [InlineData("noise", 5, 14, "57880a2b0e60746988768778fb7cfd9586")] // 7 · 5/14 = 2.5 luminance columns → 3 (half up)
    [InlineData("noise", 9, 14, "9b480a1d1040a5648768876878867878e67fff8978")] // 7 · 9/14 = 4.5 → 5
    [InlineData("noisyalpha", 40, 30, "1f08820c820770309163757569dfc92f7937d5502969578705")]
    [InlineData("noisyalpha", 17, 23, "1d28860c060704467678787696f3bbfa9b6635506757777604")]
    [InlineData("noisyalpha", 100, 100, "1ff881050007436370491a6348bd999ffa1a3b0b6565775876")]
    [InlineData("noisyalpha", 50, 100, "1f0882030008316247303eff3da8fbdfb53f6592876696")] // 5 · 50/100 = 2.5 → 3
    public void Matches_the_reference_encoder(string pattern, int width, int height, string expectedHex) =>
        Convert.ToHexStringLower(ThumbHash.Encode(SyntheticImages.Create(pattern, width, height), width, height))
            .Should().Be(expectedHex);

    [Theory]
    [InlineData("noise", 100, 75, "HwgCDYJlZFQ1BalY1DSKVpxKj4cv")]
    [InlineData("noisyalpha", 40, 30, "HwiCDIIHcDCRY3V1ad/JL3k31VApaVeHBQ")]
    [InlineData("noise", 32, 32, "3hcGFwJSAVaEg1ZWhYqIV4d11/3mTMkA")]
    public void Base64_is_standard_base64_without_padding(string pattern, int width, int height, string expected)
    {
        var pixels = SyntheticImages.Create(pattern, width, height);

        var text = ThumbHash.EncodeBase64(pixels, width, height);

        text.Should().Be(expected).And.NotContain("=");
        Convert.FromBase64String(text.PadRight((text.Length + 3) / 4 * 4, '=')).Should().Equal(ThumbHash.Encode(pixels, width, height));
    }

    /// <summary>
    /// Black 8×8, by hand: r = g = b = 0 everywhere, so L = 0, P = (r + g)/2 − b = 0, Q = r − g = 0 exactly, every DCT term
    /// is exactly 0 and every scale 0 (AC terms stay 0 when the scale is 0).
    /// <list type="bullet">
    /// <item>24-bit header: l_dc round(63·0) = 0, p_dc round(31.5 + 31.5·0) = 32 (half up), q_dc 32, l_scale 0, no alpha →
    /// 0 | 32 &lt;&lt; 6 | 32 &lt;&lt; 12 = 0x020800 → bytes 00 08 02 (little end first).</item>
    /// <item>16-bit header: square so not landscape, l_count = lx = round(7·8/8) = 7, scales 0 → 0x0007 → 07 00.</item>
    /// <item>AC count: L 7×7 keeps cx &lt; 7 − cy: 7 + 6 + … + 1 = 28, less the DC = 27; P and Q 3×3: 6 − 1 = 5 each → 37
    /// nibbles = 19 bytes of 0. Total 24 bytes.</item>
    /// </list>
    /// The reference encoder returns the same bytes.
    /// </summary>
    [Fact]
    public void A_black_image_hashes_as_derived_by_hand() =>
        ThumbHash.Encode(SyntheticImages.Solid(8, 8, 0, 0, 0), 8, 8).Should().Equal([0x00, 0x08, 0x02, 0x07, 0x00, .. new byte[19]]);

    /// <summary>
    /// Fully transparent 10×10: the alpha sum is 0 so the average colour stays 0 and every channel (alpha too) is exactly 0.
    /// 24 bits: 0 | 32 &lt;&lt; 6 | 32 &lt;&lt; 12 | has_alpha 1 &lt;&lt; 23 = 0x820800 → 00 08 82; with alpha the luminance limit
    /// is 5, so l_count 5 → 05 00; alpha byte a_dc 0, a_scale 0 → 00; AC: L 5×5 → 15 − 1 = 14, P 5, Q 5, A 5×5 → 14 =
    /// 38 nibbles = 19 bytes of 0. Total 25. The reference encoder returns the same bytes.
    /// </summary>
    [Fact]
    public void A_fully_transparent_image_hashes_as_derived_by_hand() =>
        ThumbHash.Encode(SyntheticImages.Solid(10, 10, 0, 0, 0, 0), 10, 10)
            .Should().Equal([0x00, 0x08, 0x82, 0x05, 0x00, 0x00, .. new byte[19]]);

    /// <summary>
    /// Solid red 8×8, the header by hand (the AC nibbles of a flat channel are rounding noise, see the encoder's remarks,
    /// so only the header is pinned): r = 1, g = b = 0 → L = 1/3, P = (1 + 0)/2 − 0 = 0.5, Q = 1 − 0 = 1.
    /// l_dc = round(63/3) = 21, p_dc = round(31.5 + 15.75) = 47, q_dc = round(63) = 63, scales 0:
    /// 21 | 47 &lt;&lt; 6 | 63 &lt;&lt; 12 = 21 + 3008 + 258048 = 0x03FBD5 → D5 FB 03; l_count 7 → 07 00. The reference encoder
    /// starts with the same five bytes.
    /// </summary>
    [Fact]
    public void A_red_image_has_the_header_derived_by_hand()
    {
        var hash = ThumbHash.Encode(SyntheticImages.Solid(8, 8, 255, 0, 0), 8, 8);

        hash[..5].Should().Equal(0xD5, 0xFB, 0x03, 0x07, 0x00);
        hash.Should().HaveCount(24);
    }

    /// <summary>
    /// Half-transparent blue, header by hand: composited over the average colour (blue) every pixel is blue, so L = 1/3 →
    /// 21, P = −1 → round(31.5 − 31.5) = 0, Q = 0 → 32, alpha → 21 | 32 &lt;&lt; 12 | 1 &lt;&lt; 23 = 0x820015 → 15 00 82;
    /// l_count 5 → 05 00; a_dc = round(15·128/255) = round(7.53) = 8, a_scale 0 → 08.
    /// </summary>
    [Fact]
    public void A_half_transparent_blue_image_has_the_header_derived_by_hand()
    {
        var hash = ThumbHash.Encode(SyntheticImages.Solid(8, 8, 0, 0, 255, 128), 8, 8);

        hash[..6].Should().Equal(0x15, 0x00, 0x82, 0x05, 0x00, 0x08);
        hash.Should().HaveCount(25);
    }

    /// <summary>
    /// The demo hash on evanw/thumbhash's page (index.html, for images/field.jpg, 200×150) is landscape with l_count 5 and
    /// 21 bytes. A 4:3 image of ours must produce the same layout.
    /// </summary>
    [Fact]
    public void A_four_by_three_image_has_the_layout_of_the_reference_demo_hash()
    {
        var demo = ThumbHashDecoder.Parse(Convert.FromHexString("DCE71125807877787F888787784877788870FA3DC0"));
        var ours = ThumbHashDecoder.Parse(ThumbHash.Encode(SyntheticImages.Create("gradient", 100, 75), 100, 75));

        ours.Should().BeEquivalentTo(new { demo.IsLandscape, demo.HasAlpha, demo.LengthInBytes, demo.Lx, demo.Ly });
        ours.ApproximateAspectRatio.Should().Be(1.4);
    }

    [Theory]
    [InlineData(100, 50, true, 7, 4)]
    [InlineData(50, 100, false, 4, 7)]
    [InlineData(64, 64, false, 7, 7)]
    [InlineData(9, 14, false, 5, 7)] // 7 · 9/14 = 4.5 rounds half up, not to even
    [InlineData(100, 10, true, 7, 3)] // round(0.7) = 1 luminance row, but at least 3 terms are coded
    public void The_aspect_ratio_sets_the_landscape_flag_and_the_luminance_terms(int width, int height, bool landscape, int lx, int ly)
    {
        var decoded = ThumbHashDecoder.Parse(ThumbHash.Encode(SyntheticImages.Create("noise", width, height), width, height));

        decoded.IsLandscape.Should().Be(landscape);
        (decoded.Lx, decoded.Ly).Should().Be((lx, ly));
        decoded.HasAlpha.Should().BeFalse();
    }

    [Fact]
    public void Alpha_is_flagged_only_when_some_pixel_is_not_opaque()
    {
        var opaque = SyntheticImages.Solid(20, 20, 10, 20, 30);
        var oneTranslucentPixel = opaque.ToArray();
        oneTranslucentPixel[3] = 254;

        ThumbHashDecoder.Parse(ThumbHash.Encode(opaque, 20, 20)).HasAlpha.Should().BeFalse();
        ThumbHashDecoder.Parse(ThumbHash.Encode(oneTranslucentPixel, 20, 20)).HasAlpha.Should().BeTrue();
    }

    [Theory]
    [InlineData(255, 0, 0)]
    [InlineData(0, 255, 0)]
    [InlineData(0, 0, 255)]
    [InlineData(255, 255, 255)]
    [InlineData(128, 128, 128)]
    [InlineData(40, 200, 90)]
    [InlineData(250, 180, 20)]
    public void A_solid_colour_decodes_back_to_about_that_colour(byte r, byte g, byte b)
    {
        var decoded = ThumbHashDecoder.Parse(ThumbHash.Encode(SyntheticImages.Solid(30, 20, r, g, b), 30, 20));

        // L, P and Q are 6 bits, rounding errors up to 1/126, 1/63 and 1/63 (zero chroma itself is not representable:
        // 31.5 rounds to 32). r = l + p/3 + q/2 can so be off by 1/126 + 1/189 + 1/126 ≈ 0.021 ≈ 5.4/255; g and b less.
        var average = decoded.AverageRgba();
        (average.R * 255).Should().BeApproximately(r, 5.5);
        (average.G * 255).Should().BeApproximately(g, 5.5);
        (average.B * 255).Should().BeApproximately(b, 5.5);
        average.A.Should().Be(1);
    }

    [Fact]
    public void The_average_colour_weights_pixels_by_alpha()
    {
        // Opaque red disc on a transparent black background: the hidden black must not darken the average.
        var decoded = ThumbHashDecoder.Parse(ThumbHash.Encode(SyntheticImages.Create("disc", 60, 60), 60, 60));

        var average = decoded.AverageRgba();
        (average.R * 255).Should().BeApproximately(255, 4);
        (average.G * 255).Should().BeApproximately(128, 5);
        (average.B * 255).Should().BeApproximately(0, 4);
        average.A.Should().BeLessThan(0.5);
    }

    [Fact]
    public void Red_on_the_left_and_blue_on_the_right_decodes_that_way_round()
    {
        var (width, _, rgba) = ThumbHashDecoder.Parse(ThumbHash.Encode(SyntheticImages.Create("halves", 64, 64), 64, 64)).Render();

        var left = rgba.AsSpan((16 * width + 2) * 4, 4);
        var right = rgba.AsSpan((16 * width + width - 3) * 4, 4);
        left[0].Should().BeGreaterThan(180);
        left[2].Should().BeLessThan(80);
        right[2].Should().BeGreaterThan(180);
        right[0].Should().BeLessThan(80);
    }

    [Fact]
    public void An_opaque_disc_on_transparency_decodes_opaque_inside_and_clear_outside()
    {
        var (width, height, rgba) = ThumbHashDecoder.Parse(ThumbHash.Encode(SyntheticImages.Create("disc", 60, 40), 60, 40)).Render();

        rgba[((height / 2) * width + width / 2) * 4 + 3].Should().BeGreaterThan(200);
        rgba[3].Should().BeLessThan(60);
    }

    [Theory]
    [InlineData(101, 50)]
    [InlineData(50, 101)]
    [InlineData(0, 10)]
    public void Sizes_outside_1_to_100_are_refused(int width, int height)
    {
        var act = () => ThumbHash.Encode(new byte[Math.Max(0, width * height * 4)], width, height);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_pixel_buffer_of_the_wrong_size_is_refused()
    {
        var act = () => ThumbHash.Encode(new byte[10 * 10 * 3], 10, 10);
        act.Should().Throw<ArgumentException>();
    }

    /// <summary>
    /// Keeps the test decoder honest, using the demo hash from evanw/thumbhash index.html and what the reference decoder
    /// (npm <c>thumbhash</c> 0.1.1) returns for it: average (0.41534, 0.46296, 0.45503, 1), aspect ratio 1.4, a 32×23
    /// image whose corner and centre pixels are listed below.
    /// </summary>
    [Fact]
    public void The_test_decoder_reads_the_reference_demo_hash_like_the_reference_decoder()
    {
        var decoded = ThumbHashDecoder.Parse(Convert.FromHexString("DCE71125807877787F888787784877788870FA3DC0"));

        var average = decoded.AverageRgba();
        average.R.Should().BeApproximately(0.41534, 1e-5);
        average.G.Should().BeApproximately(0.46296, 1e-5);
        average.B.Should().BeApproximately(0.45503, 1e-5);
        average.A.Should().Be(1);
        decoded.ApproximateAspectRatio.Should().Be(1.4);

        var (width, height, rgba) = decoded.Render();
        (width, height).Should().Be((32, 23));
        (int Index, byte[] Expected)[] reference =
        [
            (0, [124, 136, 159, 255]),
            (width - 1, [124, 136, 159, 255]),
            ((height - 1) * width, [90, 103, 39, 255]),
            (height * width - 1, [86, 99, 46, 255]),
            (height / 2 * width + width / 2, [112, 124, 139, 255]),
        ];
        foreach (var (index, expected) in reference)
            rgba.AsSpan(index * 4, 4).ToArray().Zip(expected).Should().OnlyContain(p => Math.Abs(p.First - p.Second) <= 1);
    }
}

/// <summary>
/// A ThumbHash decoder written from the format description on https://evanw.github.io/thumbhash/ (the bit layout, the
/// AC order and the LPQ → RGB conversion), only to check the encoder. Like the reference decoder it boosts P and Q AC
/// terms by 1.25 and renders at most 32 px on the longer side.
/// </summary>
internal sealed record ThumbHashDecoder(
    double LDc, double PDc, double QDc, double LScale, bool HasAlpha, double PScale, double QScale, bool IsLandscape,
    double ADc, double AScale, int Lx, int Ly, int LCount, double[] LAc, double[] PAc, double[] QAc, double[] AAc, int LengthInBytes)
{
    public static ThumbHashDecoder Parse(byte[] hash)
    {
        var header24 = hash[0] | hash[1] << 8 | hash[2] << 16;
        var header16 = hash[3] | hash[4] << 8;
        var hasAlpha = (header24 >> 23 & 1) == 1;
        var isLandscape = (header16 >> 15 & 1) == 1;
        var lCount = header16 & 7;
        var lMax = hasAlpha ? 5 : 7;
        var lx = Math.Max(3, isLandscape ? lMax : lCount);
        var ly = Math.Max(3, isLandscape ? lCount : lMax);
        var (lScale, pScale, qScale) = ((header24 >> 18 & 31) / 31.0, (header16 >> 3 & 63) / 63.0, (header16 >> 9 & 63) / 63.0);
        var (aDc, aScale) = hasAlpha ? ((hash[5] & 15) / 15.0, (hash[5] >> 4) / 15.0) : (1.0, 1.0);

        var nibble = 0;
        var start = hasAlpha ? 6 : 5;
        double[] Channel(int nx, int ny, double scale)
        {
            var ac = new List<double>();
            for (var cy = 0; cy < ny; cy++)
                for (var cx = cy == 0 ? 1 : 0; cx * ny < nx * (ny - cy); cx++, nibble++)
                    ac.Add(((hash[start + nibble / 2] >> nibble % 2 * 4 & 15) / 7.5 - 1) * scale);
            return [.. ac];
        }
        var lAc = Channel(lx, ly, lScale);
        var pAc = Channel(3, 3, pScale * 1.25);
        var qAc = Channel(3, 3, qScale * 1.25);
        var aAc = hasAlpha ? Channel(5, 5, aScale) : [];
        if (hash.Length != start + (nibble + 1) / 2) throw new FormatException($"{hash.Length} bytes, {nibble} AC terms.");

        return new ThumbHashDecoder((header24 & 63) / 63.0, (header24 >> 6 & 63) / 31.5 - 1, (header24 >> 12 & 63) / 31.5 - 1,
            lScale, hasAlpha, pScale, qScale, isLandscape, aDc, aScale, lx, ly, lCount, lAc, pAc, qAc, aAc, hash.Length);
    }

    public double ApproximateAspectRatio =>
        IsLandscape ? (HasAlpha ? 5 : 7) / (double)LCount : LCount / (double)(HasAlpha ? 5 : 7);

    public (double R, double G, double B, double A) AverageRgba()
    {
        var (r, g, b) = ToRgb(LDc, PDc, QDc);
        return (Math.Clamp(r, 0, 1), Math.Clamp(g, 0, 1), Math.Clamp(b, 0, 1), ADc);
    }

    public (int Width, int Height, byte[] Rgba) Render()
    {
        var ratio = ApproximateAspectRatio;
        var width = (int)Math.Round(ratio > 1 ? 32 : 32 * ratio, MidpointRounding.AwayFromZero);
        var height = (int)Math.Round(ratio > 1 ? 32 / ratio : 32, MidpointRounding.AwayFromZero);
        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var l = LDc + Sum(LAc, Lx, Ly, x, y, width, height);
                var p = PDc + Sum(PAc, 3, 3, x, y, width, height);
                var q = QDc + Sum(QAc, 3, 3, x, y, width, height);
                var a = ADc + (HasAlpha ? Sum(AAc, 5, 5, x, y, width, height) : 0);
                var (r, g, b) = ToRgb(l, p, q);
                var i = (y * width + x) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = (Byte(r), Byte(g), Byte(b), Byte(a));
            }
        return (width, height, rgba);
    }

    /// <summary>The AC terms of one channel at one pixel; each term counts twice (the DCT's normalisation).</summary>
    private static double Sum(double[] ac, int nx, int ny, int x, int y, int width, int height)
    {
        var sum = 0.0;
        var j = 0;
        for (var cy = 0; cy < ny; cy++)
            for (var cx = cy == 0 ? 1 : 0; cx * ny < nx * (ny - cy); cx++)
                sum += ac[j++] * Math.Cos(Math.PI / width * (x + 0.5) * cx) * Math.Cos(Math.PI / height * (y + 0.5) * cy) * 2;
        return sum;
    }

    private static (double R, double G, double B) ToRgb(double l, double p, double q)
    {
        var b = l - 2.0 / 3 * p;
        var r = (3 * l - b + q) / 2;
        return (r, r - q, b);
    }

    private static byte Byte(double unit) => (byte)(255 * Math.Clamp(unit, 0, 1));
}
