using Direkt.Imaging.Placeholders;

namespace Direkt.Imaging.Tests.Placeholders;

/// <summary>
/// The BlurHash encoder against (a) outputs of the reference encoder, (b) hashes derived by hand from Algorithm.md,
/// (c) properties of the format, checked with <see cref="BlurHashDecoder"/>, a decoder written from the spec for these
/// tests (and itself checked against the reference decoder's output).
/// </summary>
public sealed class BlurHashTests
{
    /// <summary>
    /// Reference outputs: the woltapp/blurhash C encoder (C/encode.c, the code the official Python package wraps; the Swift
    /// encoder computes the same) run on the <see cref="SyntheticImages"/> patterns. Where the strongest AC term is
    /// negative ("gradient", "noise") the npm <c>blurhash</c> 2.0.5 package gives a different string, because it scales by
    /// the largest signed value instead of the largest magnitude; for "halves" all three agree.
    /// </summary>
    [Theory]
    [InlineData("noise", 17, 23, 4, 3, "LVHnplrwUhxEv}jDWTk7XMjIWXkC")]
    [InlineData("noise", 17, 23, 1, 1, "00Hnpl")]
    [InlineData("noise", 17, 23, 3, 5, "cVHnplrwUhv}jDWTXMjIWXtLawV[a]bIa~")]
    [InlineData("noise", 100, 75, 4, 3, "L4HV6o$^WXxl%wmGmpU$lGjFq|d5")]
    [InlineData("noise", 30, 90, 3, 4, "T9HVC#%GeluujpV]fzeCd]yNknRQ")]
    [InlineData("noise", 64, 48, 9, 9,
        "|5HenFzZUf%:YDzNV5#AY:-}qzpEQ.QXW,U-c*h$pQkithz#QVl4X+cBbL$^f|MLrpn4R6lJazpRbqk;W-bdmnbrNxV[b[%;jebqnOogoZogRpq{c2V?WTXCbVV@i+RkRY%EjYVtoYbqk6aJagWTn2aLb[btjXbrohacnz")]
    [InlineData("halves", 40, 20, 4, 3, "L~LjfL|TsRJrsXn~jsa}fQfQfQfQ")]
    [InlineData("gradient", 32, 32, 4, 3, "L$Het82swxX8l}WDjte;gJfjfQfj")]
    public void Matches_the_reference_encoder(string pattern, int width, int height, int nx, int ny, string expected) =>
        BlurHash.Encode(SyntheticImages.Create(pattern, width, height), width, height, nx, ny).Should().Be(expected);

    /// <summary>
    /// White, 8×4, 4×3 components, by hand from Algorithm.md and the reference basis <c>cos(π·i·x/w)</c>:
    /// <list type="bullet">
    /// <item>Size flag (4 − 1) + (3 − 1)·9 = 21 → 'L'.</item>
    /// <item>Every pixel is linear 1.0, so DC = 1 → sRGB 255,255,255 → 0xFFFFFF = 16777215 = 29·83³ + 28·83² + 30·83 + 10
    /// → "TSUA".</item>
    /// <item>AC(i, j) = 2/(w·h) · Σx cos(πix/w) · Σy cos(πjy/h). Σ over n positions of cos(πkx/n) is n for k = 0, 1 for odd
    /// k and 0 for even k &gt; 0. So (1,0) = (3,0) = 2·4/32 = 0.25, (0,1) = 2·8/32 = 0.5, (1,1) = (3,1) = 2/32 = 0.0625, all
    /// others 0 (every j = 2 term, since Σy over an even k is 0).</item>
    /// <item>Largest magnitude 0.5 → ⌊0.5·166 − 0.5⌋ = 82 → '~'; the scale becomes (82 + 1)/166 = 0.5.</item>
    /// <item>Each AC value v → ⌊sign·√|v/0.5|·9 + 9.5⌋: 0.25 → ⌊0.7071·9 + 9.5⌋ = 15, 0.5 → 18, 0.0625 → ⌊0.3536·9 + 9.5⌋ =
    /// 12, 0 → 9. R = G = B, so the pair is q·19² + q·19 + q = 381·q: 15 → 5715 = 68·83 + 71 → "-;", 18 → 6858 = 82·83 + 52
    /// → "~q", 12 → 4572 = 55·83 + 7 → "t7", 9 → 3429 = 41·83 + 26 → "fQ".</item>
    /// <item>Order (1,0) (2,0) (3,0) (0,1) (1,1) (2,1) (3,1) (0,2) (1,2) (2,2) (3,2) → "-;" "fQ" "-;" "~q" "t7" "fQ" "t7" "fQ" "fQ"
    /// "fQ" "fQ".</item>
    /// </list>
    /// The C and the npm reference encoders give the same string.
    /// </summary>
    [Fact]
    public void A_white_image_hashes_as_derived_by_hand() =>
        BlurHash.Encode(SyntheticImages.Solid(8, 4, 255, 255, 255), 8, 4).Should().Be("L~TSUA-;fQ-;~qt7fQt7fQfQfQfQ");

    /// <summary>
    /// Black: every linear value is 0, so DC 0 → "0000"; every AC is 0, the largest magnitude 0 → ⌊−0.5⌋ clamped to 0 →
    /// '0'; each AC quantises to 9 → 9·381 = 3429 → "fQ" (the "zero" pair seen in the reference's own test strings).
    /// </summary>
    [Fact]
    public void A_black_image_hashes_as_derived_by_hand() =>
        BlurHash.Encode(SyntheticImages.Solid(8, 8, 0, 0, 0), 8, 8).Should().Be("L00000" + string.Concat(Enumerable.Repeat("fQ", 11)));

    /// <summary>
    /// Reference strings for pic2.png with various component counts (woltapp/blurhash,
    /// Swift/BlurHashKitTests/EncodeComponentsTests.swift). We do not have that image, but its first character (the
    /// component counts) and its length (4 + 2·nx·ny) depend only on the counts.
    /// </summary>
    [Theory]
    [InlineData(1, 1, "00M~Oi")]
    [InlineData(1, 2, "95M~Oi43")]
    [InlineData(2, 1, "1lM~Oi00")]
    [InlineData(2, 2, "AlM~Oi00S|WD")]
    [InlineData(1, 9, "=6M~Oi8D9t8^^i^kJ7-TIV")]
    [InlineData(3, 3, "KlM~Oi00%#S|WDWER*X8R*")]
    [InlineData(4, 3, "LlM~Oi00%#MwS|WDWEIoR*X8R*bH")]
    [InlineData(4, 9, "[lM~Oi00%#MwS|WDWEIoR*X8R*bHRjofs.R*s:ofjsofs:jsWCfQWVjbjtjsoLfka|j?WBayj[jt")]
    [InlineData(5, 5, "elM~Oi00%#Mwo}S|WDWEIoa$R*X8R*bHbIRjofs.R*R+s:ofjsofbF")]
    public void Component_counts_are_encoded_like_the_reference(int nx, int ny, string reference)
    {
        var hash = BlurHash.Encode(SyntheticImages.Create("noise", 20, 20), 20, 20, nx, ny);

        hash[0].Should().Be(reference[0]);
        hash.Should().HaveLength(reference.Length);
        BlurHashDecoder.Parse(hash).Should().Match<BlurHashDecoder>(d => d.ComponentsX == nx && d.ComponentsY == ny);
    }

    [Fact]
    public void Every_component_count_gives_the_spec_length_and_flag()
    {
        var pixels = SyntheticImages.Create("gradient", 9, 7);
        for (var nx = 1; nx <= 9; nx++)
            for (var ny = 1; ny <= 9; ny++)
            {
                var hash = BlurHash.Encode(pixels, 9, 7, nx, ny);
                hash.Should().HaveLength(4 + 2 * nx * ny);
                hash[0].Should().Be(BlurHash.Alphabet[nx - 1 + (ny - 1) * 9]);
                hash.Should().NotContainAny(" ", "\"", "'", "<", ">", "&", "\\", "/");
            }
    }

    [Fact]
    public void The_alphabet_is_the_one_in_the_spec()
    {
        // woltapp/blurhash Algorithm.md, "Base 83".
        BlurHash.Alphabet.Should().Be("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~");
        BlurHash.Alphabet.Distinct().Should().HaveCount(83);
    }

    /// <summary>The DC term is the average colour stored exactly, so a solid colour must come back unchanged.</summary>
    [Fact]
    public void A_solid_colour_decodes_back_to_exactly_that_colour()
    {
        for (var v = 0; v < 256; v++)
        {
            var (r, g, b) = ((byte)v, (byte)(255 - v), (byte)(v * 7 % 256));
            var hash = BlurHash.Encode(SyntheticImages.Solid(13, 9, r, g, b), 13, 9);
            BlurHashDecoder.Parse(hash).Average.Should().Be((r, g, b), $"the DC of {hash} holds the colour {r},{g},{b}");
        }
    }

    [Fact]
    public void The_average_colour_is_the_mean_in_linear_light()
    {
        // Top half white, bottom half black: linear mean 0.5 → sRGB 1.055 · 0.5^(1/2.4) − 0.055 = 0.73536, · 255 = 187.52,
        // + ½ truncated → 188 (averaging the sRGB bytes would give 127).
        var pixels = SyntheticImages.Solid(10, 10, 0, 0, 0);
        pixels.AsSpan(0, pixels.Length / 2).Fill(255);

        BlurHashDecoder.Parse(BlurHash.Encode(pixels, 10, 10)).Average.Should().Be((188, 188, 188));
    }

    [Fact]
    public void Red_on_the_left_and_blue_on_the_right_decodes_that_way_round()
    {
        var hash = BlurHash.Encode(SyntheticImages.Create("halves", 40, 20), 40, 20);
        var decoded = BlurHashDecoder.Parse(hash).Render(32, 16);

        // Four horizontal cosines cannot draw a hard edge: some blue rings into the left and red into the right, so
        // compare the channels rather than expecting pure colours.
        var left = Pixel(decoded, 32, 2, 8);
        var right = Pixel(decoded, 32, 29, 8);
        left.R.Should().BeGreaterThan(200);
        (left.R - left.B).Should().BeGreaterThan(100);
        right.B.Should().BeGreaterThan(200);
        (right.B - right.R).Should().BeGreaterThan(100);
    }

    [Fact]
    public void A_vertical_gradient_decodes_lighter_at_the_bottom()
    {
        var pixels = new byte[20 * 30 * 4];
        for (var y = 0; y < 30; y++)
            for (var x = 0; x < 20; x++)
                pixels.AsSpan((y * 20 + x) * 4, 4).Fill((byte)(y * 255 / 29));

        var decoded = BlurHashDecoder.Parse(BlurHash.Encode(pixels, 20, 30, 3, 4)).Render(10, 10);

        Pixel(decoded, 10, 5, 0).G.Should().BeLessThan(Pixel(decoded, 10, 5, 5).G);
        Pixel(decoded, 10, 5, 5).G.Should().BeLessThan(Pixel(decoded, 10, 5, 9).G);
    }

    [Fact]
    public void Alpha_is_ignored()
    {
        var opaque = SyntheticImages.Create("noise", 16, 16);
        var translucent = SyntheticImages.Create("noisyalpha", 16, 16);

        BlurHash.Encode(translucent, 16, 16).Should().Be(BlurHash.Encode(opaque, 16, 16));
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(10, 3)]
    [InlineData(4, 0)]
    [InlineData(4, 10)]
    public void Component_counts_outside_1_to_9_are_refused(int nx, int ny)
    {
        var act = () => BlurHash.Encode(SyntheticImages.Solid(4, 4, 1, 2, 3), 4, 4, nx, ny);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_pixel_buffer_of_the_wrong_size_is_refused()
    {
        var act = () => BlurHash.Encode(new byte[4 * 4 * 3], 4, 4);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void The_test_decoder_reads_base83_like_the_reference()
    {
        // woltapp/blurhash CSharp/Blurhash.Core.Test/Base83Test.cs
        BlurHashDecoder.DecodeBase83("DD").Should().Be(1092);
        BlurHashDecoder.DecodeBase83("00DD").Should().Be(1092);
        BlurHashDecoder.DecodeBase83("G9").Should().Be(1337);
        BlurHashDecoder.DecodeBase83("10").Should().Be(83);
        BlurHashDecoder.DecodeBase83("~").Should().Be(82);
    }

    /// <summary>
    /// Keeps the test decoder honest: "LEHV6nWB2yk8pyo0adR*.7kCMdnj" is the README example of woltapp/blurhash and the
    /// expected pixels are what the reference decoder (npm <c>blurhash</c> 2.0.5, <c>decode(hash, 4, 3)</c>) returns.
    /// </summary>
    [Fact]
    public void The_test_decoder_renders_like_the_reference_decoder()
    {
        byte[] reference =
        [
            135, 164, 177, 255, 161, 173, 177, 255, 181, 180, 171, 255, 160, 172, 174, 255,
            124, 154, 169, 255, 148, 148, 154, 255, 164, 145, 134, 255, 146, 152, 155, 255,
            124, 144, 154, 255, 144, 134, 132, 255, 163, 130, 104, 255, 148, 140, 134, 255,
        ];

        var decoded = BlurHashDecoder.Parse("LEHV6nWB2yk8pyo0adR*.7kCMdnj").Render(4, 3);

        decoded.Zip(reference).Should().OnlyContain(p => Math.Abs(p.First - p.Second) <= 1);
    }

    private static (byte R, byte G, byte B) Pixel(byte[] rgba, int width, int x, int y)
    {
        var i = (y * width + x) * 4;
        return (rgba[i], rgba[i + 1], rgba[i + 2]);
    }
}

/// <summary>
/// A BlurHash decoder written from woltapp/blurhash Algorithm.md, only to check the encoder: the component counts, the
/// exact average colour, and a rendering (Σ Cij·cos(π·i·x/w)·cos(π·j·y/h) in linear light, then sRGB).
/// </summary>
internal sealed record BlurHashDecoder(int ComponentsX, int ComponentsY, (byte R, byte G, byte B) Average, double[] Factors)
{
    public static BlurHashDecoder Parse(string hash)
    {
        var flag = DecodeBase83(hash[..1]);
        var (nx, ny) = (flag % 9 + 1, flag / 9 + 1);
        if (hash.Length != 4 + 2 * nx * ny) throw new FormatException($"{hash} should have {4 + 2 * nx * ny} characters.");
        var maximum = (DecodeBase83(hash[1..2]) + 1) / 166.0;

        var dc = DecodeBase83(hash[2..6]);
        var average = ((byte)(dc >> 16), (byte)(dc >> 8), (byte)dc);
        var factors = new double[nx * ny * 3];
        factors[0] = ToLinear(average.Item1);
        factors[1] = ToLinear(average.Item2);
        factors[2] = ToLinear(average.Item3);
        for (var k = 1; k < nx * ny; k++)
        {
            var value = DecodeBase83(hash.Substring(4 + 2 * k, 2));
            int[] quantised = [value / (19 * 19), value / 19 % 19, value % 19];
            for (var c = 0; c < 3; c++)
            {
                var unit = (quantised[c] - 9) / 9.0;
                factors[k * 3 + c] = Math.CopySign(unit * unit, unit) * maximum;
            }
        }
        return new BlurHashDecoder(nx, ny, average, factors);
    }

    public byte[] Render(int width, int height)
    {
        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                double r = 0, g = 0, b = 0;
                for (var j = 0; j < ComponentsY; j++)
                    for (var i = 0; i < ComponentsX; i++)
                    {
                        var basis = Math.Cos(Math.PI * x * i / width) * Math.Cos(Math.PI * y * j / height);
                        var k = (j * ComponentsX + i) * 3;
                        r += Factors[k] * basis;
                        g += Factors[k + 1] * basis;
                        b += Factors[k + 2] * basis;
                    }
                var p = (y * width + x) * 4;
                (rgba[p], rgba[p + 1], rgba[p + 2], rgba[p + 3]) = (ToSrgb(r), ToSrgb(g), ToSrgb(b), 255);
            }
        return rgba;
    }

    public static int DecodeBase83(string digits) =>
        digits.Aggregate(0, (value, digit) => value * 83 + BlurHash.Alphabet.IndexOf(digit) switch
        {
            < 0 => throw new FormatException($"'{digit}' is not a base 83 digit."),
            var d => d,
        });

    private static double ToLinear(byte value)
    {
        var v = value / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
    }

    private static byte ToSrgb(double linear)
    {
        var v = Math.Clamp(linear, 0, 1);
        return (byte)(v <= 0.0031308 ? v * 12.92 * 255 + 0.5 : (1.055 * Math.Pow(v, 1 / 2.4) - 0.055) * 255 + 0.5);
    }
}

/// <summary>
/// Pixel patterns from integer formulas (shared by the placeholder tests), so exactly the same bytes can be rebuilt in
/// the reference implementations' own languages; the reference vectors in these tests were produced that way.
/// </summary>
internal static class SyntheticImages
{
    /// <summary>
    /// "gradient": red rises left→right, green top→bottom, blue 128. "halves": left half red, right half blue.
    /// "noise": an irregular opaque pattern with no symmetry (so no DCT term is exactly zero and rounding noise cannot
    /// flip a quantisation step). "noisyalpha": "noise" with an irregular alpha. "disc": an opaque orange disc on a fully
    /// transparent background.
    /// </summary>
    public static byte[] Create(string pattern, int width, int height)
    {
        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var (r, g, b, a) = pattern switch
                {
                    "gradient" => (Ramp(x, width), Ramp(y, height), 128, 255),
                    "halves" => x < width / 2 ? (255, 0, 0, 255) : (0, 0, 255, 255),
                    "noise" => ((x * 37 + y * 91 + 13) % 256, (x * x * 7 + y * 3) % 256, (x * y * 11 + 5) % 256, 255),
                    "noisyalpha" => ((x * 37 + y * 91 + 13) % 256, (x * x * 7 + y * 3) % 256, (x * y * 11 + 5) % 256,
                        (x * 53 + y * 29 + 7) % 256),
                    "disc" => InDisc(x, y, width, height) ? (255, 128, 0, 255) : (0, 0, 0, 0),
                    _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, null),
                };
                var i = (y * width + x) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = ((byte)r, (byte)g, (byte)b, (byte)a);
            }
        return rgba;
    }

    public static byte[] Solid(int width, int height, byte r, byte g, byte b, byte a = 255)
    {
        var rgba = new byte[width * height * 4];
        for (var i = 0; i < rgba.Length; i += 4) (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = (r, g, b, a);
        return rgba;
    }

    private static int Ramp(int position, int length) => length > 1 ? position * 255 / (length - 1) : 0;

    private static bool InDisc(int x, int y, int width, int height)
    {
        var (dx, dy, radius) = (x - width / 2, y - height / 2, Math.Min(width, height) / 3);
        return dx * dx + dy * dy <= radius * radius;
    }
}
