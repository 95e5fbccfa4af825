using System.Globalization;
using System.Text;

namespace Direkt.Imaging.Transformations;

public enum FitMode { Fit, Stretch, Crop }
public enum Gravity { Center, Entropy, Attention }
public enum FlipMode { None, H, V }
public enum ImageFilter { None, BlackWhite, Grayscale, Sepia }
public enum ColorSpaceMode { Origin, Grayscale, Srgb, P3 }

/// <summary>The metadata removed from a variant; <see cref="All"/> is the default (API.md §4 `strip`), <see cref="None"/> is `strip=none`.</summary>
[Flags]
public enum StripMetadata { None = 0, Exif = 1, Iptc = 2, Xmp = 4, All = Exif | Iptc | Xmp }

/// <summary>An RGBA colour from `pad-c` (#RRGGBB or #RRGGBBAA).</summary>
public readonly record struct Rgba(byte R, byte G, byte B, byte A)
{
    public override string ToString() =>
        A == 255 ? $"#{R:x2}{G:x2}{B:x2}" : $"#{R:x2}{G:x2}{B:x2}{A:x2}";
}

/// <summary>
/// A normalized transformation: one value per distinct output. Defaults are filled in and equivalent forms reduced
/// (see <see cref="TransformationNormalizer"/>), so its <see cref="Key"/> identifies a variant in the cache and in ETags.
/// The steps apply in this order: resize/crop → rotate → flip → filter → blur → colour space → pad → strip → encode.
/// </summary>
public sealed record Transformation
{
    public int? Width { get; init; }
    public int? Height { get; init; }
    public FitMode Fit { get; init; } = FitMode.Fit;
    public Gravity Gravity { get; init; } = Gravity.Center;
    public required string Format { get; init; }
    public int? Quality { get; init; }
    public int Rotation { get; init; }
    public FlipMode Flip { get; init; } = FlipMode.None;
    public ImageFilter Filter { get; init; } = ImageFilter.None;
    public double Blur { get; init; }
    public int Pad { get; init; }
    public Rgba? PadColor { get; init; }
    public StripMetadata Strip { get; init; } = StripMetadata.All;
    public ColorSpaceMode ColorSpace { get; init; } = ColorSpaceMode.Origin;
    public bool Enlarge { get; init; }

    /// <summary>The canonical query: parameters in a fixed order, values at their default omitted (format is always given).</summary>
    public string Key => string.Join('&', Parameters(explicitDefaults: false).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

    /// <summary>The canonical query without `format` (and without `q` unless asked to keep it), for links that still negotiate.</summary>
    public string KeyWithoutFormat(bool keepQuality) => string.Join('&', Parameters(explicitDefaults: false)
        .Where(p => p.Key != "format" && (keepQuality || p.Key != "q"))
        .Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

    /// <summary>Every parameter with its value, defaults included (the `transformation` object of `info`).</summary>
    public IReadOnlyDictionary<string, string> Explicit =>
        Parameters(explicitDefaults: true).ToDictionary(p => p.Key, p => p.Value);

    private IEnumerable<KeyValuePair<string, string>> Parameters(bool explicitDefaults)
    {
        static KeyValuePair<string, string> P(string k, string v) => new(k, v);
        if (Width is { } w) yield return P("w", Num(w));
        if (Height is { } h) yield return P("h", Num(h));
        if (explicitDefaults || Fit != FitMode.Fit) yield return P("fit", Name(Fit));
        if (explicitDefaults || Gravity != Gravity.Center) yield return P("g", Name(Gravity));
        yield return P("format", Format);
        if (Quality is { } q) yield return P("q", Num(q));
        if (explicitDefaults || Rotation != 0) yield return P("r", Num(Rotation));
        if (explicitDefaults || Flip != FlipMode.None) yield return P("f", Name(Flip));
        if (explicitDefaults || Filter != ImageFilter.None) yield return P("filter", Filter == ImageFilter.BlackWhite ? "black_white" : Name(Filter));
        if (explicitDefaults || Blur != 0) yield return P("blur", Blur.ToString("0.###", CultureInfo.InvariantCulture));
        if (explicitDefaults || Pad != 0) yield return P("pad", Num(Pad));
        if (PadColor is { } c) yield return P("pad-c", c.ToString());
        if (explicitDefaults || Strip != StripMetadata.All) yield return P("strip", StripText(Strip));
        if (explicitDefaults || ColorSpace != ColorSpaceMode.Origin) yield return P("cs", Name(ColorSpace));
        if (explicitDefaults || Enlarge) yield return P("enlarge", Enlarge ? "true" : "false");
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Name<T>(T value) where T : Enum => value.ToString().ToLowerInvariant();

    private static string StripText(StripMetadata strip)
    {
        if (strip == StripMetadata.None) return "none";
        var parts = new StringBuilder();
        foreach (var (flag, name) in new[] { (StripMetadata.Exif, "exif"), (StripMetadata.Iptc, "iptc"), (StripMetadata.Xmp, "xmp") })
            if (strip.HasFlag(flag)) parts.Append(parts.Length == 0 ? "" : ",").Append(name);
        return parts.ToString();
    }
}
