namespace Direkt.Imaging.Placeholders;

/// <summary>
/// BlurHash encoder (https://github.com/woltapp/blurhash, Algorithm.md): a handful of DCT coefficients of the image in
/// linear RGB, quantised and written in a URL-, JSON- and HTML-safe base 83, so a client can paint a blurred placeholder
/// from ~30 characters while the real image loads.
/// </summary>
/// <remarks>
/// Compatibility choices, made so our hashes equal the reference encoders' (C and Swift, which the Python package wraps):
/// <list type="bullet">
/// <item>The cosine basis is <c>cos(π·i·x / width)</c> with the pixel index <c>x</c>, not the pixel centre
/// <c>x + ½</c>. That is the reference's quirk, and it means a flat image has small non-zero odd AC terms.</item>
/// <item>The AC scale is the largest <em>magnitude</em> of any AC term. The npm <c>blurhash</c> package takes the largest
/// signed value instead and so differs from the C and Swift encoders when the strongest term is negative (any image that
/// gets darker to the right or downwards); decoders read both.</item>
/// <item>sRGB conversions use the reference's piecewise curve, and rounding is "add ½ and truncate".</item>
/// </list>
/// Arithmetic is in double precision (the C reference uses float); the two agree except on values that sit exactly on a
/// quantisation boundary.
/// </remarks>
internal static class BlurHash
{
    /// <summary>The base 83 digits, in value order.</summary>
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

    /// <summary>sRGB byte → linear light, precomputed because every pixel needs three of them.</summary>
    private static readonly double[] LinearFromByte = Enumerable.Range(0, 256).Select(SrgbToLinear).ToArray();

    /// <summary>Encodes an image to a BlurHash string of <c>4 + 2 × componentsX × componentsY</c> characters.</summary>
    /// <param name="rgba">Pixels as 8-bit sRGB R, G, B, A, row after row without padding. Alpha is ignored (BlurHash has
    /// no transparency): flatten a transparent image first if its hidden colours matter.</param>
    /// <param name="componentsX">Horizontal DCT components, 1–9 (4 suits landscape images).</param>
    /// <param name="componentsY">Vertical DCT components, 1–9.</param>
    public static string Encode(ReadOnlySpan<byte> rgba, int width, int height, int componentsX = 4, int componentsY = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(componentsX, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(componentsX, 9);
        ArgumentOutOfRangeException.ThrowIfLessThan(componentsY, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(componentsY, 9);
        if (rgba.Length != (long)width * height * 4)
            throw new ArgumentException($"Expected {(long)width * height * 4} bytes for {width}×{height} RGBA, got {rgba.Length}.", nameof(rgba));

        var factors = Factors(rgba, width, height, componentsX, componentsY);
        var hash = new char[4 + 2 * componentsX * componentsY];
        var position = 0;

        position = WriteBase83(hash, position, componentsX - 1 + (componentsY - 1) * 9, 1);

        var maximum = 0.0;
        for (var k = 3; k < factors.Length; k++) maximum = Math.Max(maximum, Math.Abs(factors[k]));
        var quantisedMaximum = factors.Length > 3 ? (int)Math.Clamp(Math.Floor(maximum * 166 - 0.5), 0, 82) : 0;
        var scale = factors.Length > 3 ? (quantisedMaximum + 1) / 166.0 : 1.0;
        position = WriteBase83(hash, position, quantisedMaximum, 1);

        var dc = (LinearToSrgb(factors[0]) << 16) | (LinearToSrgb(factors[1]) << 8) | LinearToSrgb(factors[2]);
        position = WriteBase83(hash, position, dc, 4);

        for (var k = 3; k < factors.Length; k += 3)
        {
            var ac = QuantiseAc(factors[k], scale) * 19 * 19 + QuantiseAc(factors[k + 1], scale) * 19 + QuantiseAc(factors[k + 2], scale);
            position = WriteBase83(hash, position, ac, 2);
        }
        return new string(hash);
    }

    /// <summary>
    /// The DCT coefficients, R, G, B for each component with x varying fastest. The basis is separable, so each row is
    /// first reduced to one sum per horizontal component and those sums are then weighted per vertical component:
    /// <c>w·h·(nx + …)</c> multiplications instead of <c>w·h·nx·ny</c>.
    /// </summary>
    private static double[] Factors(ReadOnlySpan<byte> rgba, int width, int height, int nx, int ny)
    {
        var cosX = Cosines(nx, width);
        var cosY = Cosines(ny, height);
        var factors = new double[nx * ny * 3];
        var rowSums = new double[nx * 3];

        for (var y = 0; y < height; y++)
        {
            Array.Clear(rowSums);
            var row = rgba.Slice(y * width * 4, width * 4);
            for (var x = 0; x < width; x++)
            {
                var r = LinearFromByte[row[x * 4]];
                var g = LinearFromByte[row[x * 4 + 1]];
                var b = LinearFromByte[row[x * 4 + 2]];
                for (var i = 0; i < nx; i++)
                {
                    var basis = cosX[i * width + x];
                    rowSums[i * 3] += basis * r;
                    rowSums[i * 3 + 1] += basis * g;
                    rowSums[i * 3 + 2] += basis * b;
                }
            }
            for (var j = 0; j < ny; j++)
            {
                var basis = cosY[j * height + y];
                for (var k = 0; k < nx * 3; k++) factors[j * nx * 3 + k] += basis * rowSums[k];
            }
        }

        var pixels = (double)width * height;
        for (var k = 0; k < factors.Length; k++) factors[k] *= (k < 3 ? 1 : 2) / pixels; // AC terms are doubled
        return factors;
    }

    /// <summary><c>cos(π·component·position / length)</c> for every component and position, component-major.</summary>
    private static double[] Cosines(int components, int length)
    {
        var table = new double[components * length];
        for (var c = 0; c < components; c++)
            for (var p = 0; p < length; p++)
                table[c * length + p] = Math.Cos(Math.PI * c * p / length);
        return table;
    }

    /// <summary>An AC term to 0–18: square root of the scaled value (more levels near zero), 9 meaning zero.</summary>
    private static int QuantiseAc(double value, double scale)
    {
        var normalised = value / scale;
        var curved = Math.CopySign(Math.Sqrt(Math.Abs(normalised)), normalised);
        return (int)Math.Clamp(Math.Floor(curved * 9 + 9.5), 0, 18);
    }

    private static double SrgbToLinear(int value)
    {
        var v = value / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
    }

    private static int LinearToSrgb(double value)
    {
        var v = Math.Clamp(value, 0, 1);
        return v <= 0.0031308 ? (int)(v * 12.92 * 255 + 0.5) : (int)((1.055 * Math.Pow(v, 1 / 2.4) - 0.055) * 255 + 0.5);
    }

    /// <summary>Writes <paramref name="value"/> as <paramref name="digits"/> base 83 digits, most significant first.</summary>
    private static int WriteBase83(Span<char> destination, int position, int value, int digits)
    {
        for (var d = digits - 1; d >= 0; d--)
        {
            destination[position + d] = Alphabet[value % 83];
            value /= 83;
        }
        return position + digits;
    }
}
