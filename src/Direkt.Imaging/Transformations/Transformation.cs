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

    /// <summary>The canonical query: parameters in the table's order (<see cref="TransformationParameters"/>), values at their default omitted (format is always given).</summary>
    public string Key => Query(TransformationParameters.Canonical(this, explicitDefaults: false));

    /// <summary>The canonical query without `format` (and without `q` unless asked to keep it), for links that still negotiate.</summary>
    public string KeyWithoutFormat(bool keepQuality) => Query(TransformationParameters.Canonical(this, explicitDefaults: false)
        .Where(p => p.Key != TransformationParameters.Format.Name && (keepQuality || p.Key != TransformationParameters.Quality.Name)));

    /// <summary>Every parameter with its value, defaults included (the `transformation` object of `info`).</summary>
    public IReadOnlyDictionary<string, string> Explicit =>
        TransformationParameters.Canonical(this, explicitDefaults: true).ToDictionary(p => p.Key, p => p.Value);

    private static string Query(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
}
