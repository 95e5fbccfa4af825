namespace Direkt.Imaging.Placeholders;

/// <summary>
/// ThumbHash encoder (https://evanw.github.io/thumbhash/, reference code at https://github.com/evanw/thumbhash): like
/// BlurHash a few DCT coefficients, but in a luminance/chroma space (L, P = yellow−blue, Q = red−green) with more terms for
/// luminance than colour, an optional alpha channel, and the aspect ratio implied by the layout. About 20–25 bytes.
/// </summary>
/// <remarks>
/// Layout, least significant bit first: 24 bits <c>l_dc:6 p_dc:6 q_dc:6 l_scale:5 has_alpha:1</c>, 16 bits
/// <c>l_count:3 p_scale:6 q_scale:6 is_landscape:1</c>, with alpha 8 bits <c>a_dc:4 a_scale:4</c>, then 4-bit AC terms
/// (low nibble first) for L, P, Q and, with alpha, A. Each channel keeps only the low-frequency half of an
/// <c>nx × ny</c> grid (<c>cx·ny &lt; nx·(ny − cy)</c>). Computed in double precision with the reference's round-half-up,
/// so the bytes equal the JavaScript reference's (npm <c>thumbhash</c>) except where the reference itself is decided by
/// floating-point noise: an AC term that is exactly zero (common in symmetric images) sits at 7.5 and may come out 7 or
/// 8 (the same ±1/15 of the scale to a decoder), and a flat channel's AC nibbles are its cosine rounding noise
/// normalised (harmless: its scale quantises to 0, so decoders ignore them).
/// </remarks>
internal static class ThumbHash
{
    /// <summary>Inputs are capped like the reference: more pixels cost time and add nothing to ~7 cosine terms.</summary>
    public const int MaxSide = 100;

    /// <summary>Encodes an image to ThumbHash bytes.</summary>
    /// <param name="rgba">Pixels as 8-bit sRGB R, G, B, A (straight, not premultiplied alpha), row after row.</param>
    /// <param name="width">1–100.</param>
    /// <param name="height">1–100.</param>
    public static byte[] Encode(ReadOnlySpan<byte> rgba, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxSide);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxSide);
        if (rgba.Length != width * height * 4)
            throw new ArgumentException($"Expected {width * height * 4} bytes for {width}×{height} RGBA, got {rgba.Length}.", nameof(rgba));

        var pixels = width * height;
        var (averageR, averageG, averageB, alphaSum) = AverageColour(rgba);
        var hasAlpha = alphaSum < pixels;

        // Fewer luminance terms when alpha takes space; the count along the longer side is implied by the flags.
        var luminanceLimit = hasAlpha ? 5 : 7;
        var longest = Math.Max(width, height);
        var lx = Math.Max(1, (int)RoundHalfUp(luminanceLimit * width / (double)longest));
        var ly = Math.Max(1, (int)RoundHalfUp(luminanceLimit * height / (double)longest));

        // Composite transparent pixels over the average colour, so their hidden RGB does not bleed into the colours.
        var l = new double[pixels];
        var p = new double[pixels];
        var q = new double[pixels];
        var a = new double[pixels];
        for (var i = 0; i < pixels; i++)
        {
            var alpha = rgba[i * 4 + 3] / 255.0;
            var r = averageR * (1 - alpha) + alpha / 255 * rgba[i * 4];
            var g = averageG * (1 - alpha) + alpha / 255 * rgba[i * 4 + 1];
            var b = averageB * (1 - alpha) + alpha / 255 * rgba[i * 4 + 2];
            l[i] = (r + g + b) / 3;
            p[i] = (r + g) / 2 - b;
            q[i] = r - g;
            a[i] = alpha;
        }

        var luminance = Transform(l, width, height, Math.Max(3, lx), Math.Max(3, ly));
        var yellowBlue = Transform(p, width, height, 3, 3);
        var redGreen = Transform(q, width, height, 3, 3);
        var opacity = hasAlpha ? Transform(a, width, height, 5, 5) : null;

        var isLandscape = width > height;
        var header24 = Quantise(63 * luminance.Dc, 63)
            | Quantise(31.5 + 31.5 * yellowBlue.Dc, 63) << 6
            | Quantise(31.5 + 31.5 * redGreen.Dc, 63) << 12
            | Quantise(31 * luminance.Scale, 31) << 18
            | (hasAlpha ? 1 : 0) << 23;
        var header16 = (isLandscape ? ly : lx)
            | Quantise(63 * yellowBlue.Scale, 63) << 3
            | Quantise(63 * redGreen.Scale, 63) << 9
            | (isLandscape ? 1 : 0) << 15;

        var headerLength = hasAlpha ? 6 : 5;
        var acCount = luminance.Ac.Length + yellowBlue.Ac.Length + redGreen.Ac.Length + (opacity?.Ac.Length ?? 0);
        var hash = new byte[headerLength + (acCount + 1) / 2];
        hash[0] = (byte)header24;
        hash[1] = (byte)(header24 >> 8);
        hash[2] = (byte)(header24 >> 16);
        hash[3] = (byte)header16;
        hash[4] = (byte)(header16 >> 8);
        if (opacity is not null) hash[5] = (byte)(Quantise(15 * opacity.Dc, 15) | Quantise(15 * opacity.Scale, 15) << 4);

        Coefficients[] channels = opacity is null ? [luminance, yellowBlue, redGreen] : [luminance, yellowBlue, redGreen, opacity];
        var nibble = 0;
        foreach (var channel in channels)
            foreach (var ac in channel.Ac)
            {
                hash[headerLength + nibble / 2] |= (byte)(Quantise(15 * ac, 15) << (nibble % 2 * 4));
                nibble++;
            }
        return hash;
    }

    /// <summary>
    /// The hash as standard base64 (RFC 4648 alphabet with <c>+</c> and <c>/</c>) with the trailing <c>=</c> padding
    /// removed — the text form the reference demo page shows (<c>btoa(…).replace(/=+$/, '')</c> in evanw/thumbhash's
    /// index.html). Browsers' <c>atob</c> accepts it as is; .NET's <see cref="Convert.FromBase64String"/> needs the padding
    /// restored first (append <c>=</c> until the length is a multiple of 4).
    /// </summary>
    public static string EncodeBase64(ReadOnlySpan<byte> rgba, int width, int height) =>
        Convert.ToBase64String(Encode(rgba, width, height)).TrimEnd('=');

    /// <summary>
    /// The DCT of one channel over the pixel centres, keeping the terms with <c>cx·ny &lt; nx·(ny − cy)</c> in row order.
    /// AC terms are divided by the largest magnitude and mapped from −1…1 to 0…1, and that magnitude is returned as the
    /// scale, so the 4 bits per term always span the channel's actual range.
    /// </summary>
    private static Coefficients Transform(double[] channel, int width, int height, int nx, int ny)
    {
        var cosX = new double[width];
        var dc = 0.0;
        var scale = 0.0;
        var ac = new List<double>(nx * ny / 2);
        for (var cy = 0; cy < ny; cy++)
        {
            for (var cx = 0; cx * ny < nx * (ny - cy); cx++)
            {
                for (var x = 0; x < width; x++) cosX[x] = Math.Cos(Math.PI / width * cx * (x + 0.5));
                var sum = 0.0;
                for (var y = 0; y < height; y++)
                {
                    var cosY = Math.Cos(Math.PI / height * cy * (y + 0.5));
                    var row = y * width;
                    for (var x = 0; x < width; x++) sum += channel[row + x] * cosX[x] * cosY;
                }
                var f = sum / (width * height);
                if (cx == 0 && cy == 0)
                {
                    dc = f;
                }
                else
                {
                    ac.Add(f);
                    scale = Math.Max(scale, Math.Abs(f));
                }
            }
        }
        if (scale > 0)
            for (var i = 0; i < ac.Count; i++) ac[i] = 0.5 + 0.5 / scale * ac[i];
        return new Coefficients(dc, [.. ac], scale);
    }

    private sealed record Coefficients(double Dc, double[] Ac, double Scale);

    /// <summary>Alpha-weighted average colour (0–1) and the sum of alpha (0–1 per pixel).</summary>
    private static (double R, double G, double B, double AlphaSum) AverageColour(ReadOnlySpan<byte> rgba)
    {
        double r = 0, g = 0, b = 0, alphaSum = 0;
        for (var i = 0; i < rgba.Length; i += 4)
        {
            var alpha = rgba[i + 3] / 255.0;
            r += alpha / 255 * rgba[i];
            g += alpha / 255 * rgba[i + 1];
            b += alpha / 255 * rgba[i + 2];
            alphaSum += alpha;
        }
        return alphaSum > 0 ? (r / alphaSum, g / alphaSum, b / alphaSum, alphaSum) : (r, g, b, alphaSum);
    }

    /// <summary>JavaScript's <c>Math.round</c> for the non-negative values used here (.NET rounds halves to even).</summary>
    private static double RoundHalfUp(double value) => Math.Floor(value + 0.5);

    /// <summary>Rounds and clamps to the field's range, so a value a rounding error past the end cannot spill into the
    /// next field.</summary>
    private static int Quantise(double value, int max) => (int)Math.Clamp(RoundHalfUp(value), 0, max);
}
