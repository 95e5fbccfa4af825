using System.Globalization;
using System.Text;

namespace Direkt.Imaging.Transformations;

/// <summary>What reading a parameter may depend on besides its text.</summary>
public sealed record ParameterLimits(int MaxOutputDimension);

/// <summary>
/// One transformation parameter of API.md §4, complete: its name, how its text is read into a
/// <see cref="TransformationRequest"/> (range or choices, the error message), how a normalized <see cref="Transformation"/>
/// writes it into the canonical key (and when it is left out as the default), and its row of the docs/api.md table.
/// </summary>
public sealed class TransformationParameter
{
    public required string Name { get; init; }
    /// <summary>The values column of the documentation table (Markdown).</summary>
    public required string Values { get; init; }
    /// <summary>The default column of the documentation table (Markdown).</summary>
    public required string Default { get; init; }

    /// <summary>Reads the text into the request; the problem is a message for the client, null when the text is fine.</summary>
    public required Func<string, ParameterLimits, TransformationRequest, (TransformationRequest Request, string? Problem)> Read { get; init; }

    /// <summary>The canonical spelling of the value, or null when the transformation has none (no `w`, no `pad-c`).</summary>
    public Func<Transformation, string?> Value { get; init; } = _ => null;

    /// <summary>True when the value is the default, which the canonical key leaves out (the explicit form keeps it).</summary>
    public Func<Transformation, bool> IsDefault { get; init; } = _ => false;
}

/// <summary>
/// The table of transformation parameters, in the fixed order of the canonical key. It drives the parser
/// (<c>TransformationParser</c>), the names accepted in `variant-profiles` and `transform.preprocessing`, the canonical key
/// (<see cref="Transformation.Key"/>, <see cref="Transformation.KeyWithoutFormat"/>, <see cref="Transformation.Explicit"/>)
/// and the parameter table of docs/api.md (<see cref="MarkdownTable"/>, compared by a test). Adding a parameter is one
/// entry here, one field on the request and the transformation, and one render step; cross-parameter rules
/// (`fit=crop` needs `w` and `h`, …) follow the table in the parser and the normalizer.
/// </summary>
public static class TransformationParameters
{
    public const double MaxBlur = 150;
    public const int MaxPad = 1000;

    public static readonly TransformationParameter Width = new()
    {
        Name = "w", Values = "1–`limits.max-output-dimension`", Default = "keep aspect",
        Read = Integer(1, l => l.MaxOutputDimension, (r, v) => r with { Width = v }),
        Value = t => t.Width is { } w ? Number(w) : null,
    };

    public static readonly TransformationParameter Height = new()
    {
        Name = "h", Values = "1–`limits.max-output-dimension`", Default = "keep aspect",
        Read = Integer(1, l => l.MaxOutputDimension, (r, v) => r with { Height = v }),
        Value = t => t.Height is { } h ? Number(h) : null,
    };

    /// <summary>
    /// Device pixel ratio: multiplies `w`/`h` and disappears into them (`w=100&dpr=2` is `w=200`, one canonical key), so it has no
    /// value of its own in the key. Read in halves; the parser does the multiplication once every parameter is read.
    /// </summary>
    public static readonly TransformationParameter Dpr = new()
    {
        Name = "dpr",
        Values = "`1` to `4` in steps of `0.5`; multiplies `w` and `h` (needs one of them; rounded half up; `pad` is not scaled) and is normalized into them: `w=100&dpr=2` ≡ `w=200`; a result past `limits.max-output-dimension` is `400`",
        Default = "1",
        Read = (text, _, r) =>
            text.Length <= 8 && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var ratio)
            && ratio is >= 1 and <= 4 && ratio * 2 == decimal.Truncate(ratio * 2)
                ? (r with { DprHalves = (int)(ratio * 2) }, null)
                : (r, "must be 1 to 4 in steps of 0.5 (1, 1.5, 2, … 4)"),
    };

    public static readonly TransformationParameter Fit = new()
    {
        Name = "fit",
        Values = "`fit` (inside the box), `fill` (= `crop` at the centre), `crop` (cover, crop at `g`), `stretch` (exact size)",
        Default = "`fit`",
        Read = OneOf([("fit", FitMode.Fit), ("fill", FitMode.Crop), ("stretch", FitMode.Stretch), ("crop", FitMode.Crop)],
            (r, v) => r with { Fit = v }),
        Value = t => Lower(t.Fit), IsDefault = t => t.Fit == FitMode.Fit,
    };

    public static readonly TransformationParameter Gravity = new()
    {
        Name = "g", Values = "`center`, `entropy`, `attention` (libvips \"interesting\" crops)", Default = "`center`",
        Read = OneOf([("center", Transformations.Gravity.Center), ("entropy", Transformations.Gravity.Entropy),
            ("attention", Transformations.Gravity.Attention)], (r, v) => r with { Gravity = v }),
        Value = t => Lower(t.Gravity), IsDefault = t => t.Gravity == Transformations.Gravity.Center,
    };

    public static readonly TransformationParameter Format = new()
    {
        Name = "format",
        Values = string.Join(", ", ImageFormat.Requestable.Select(f =>
            $"`{f.Name}`" + (f.Aliases.Count > 0 ? $" ({string.Join(", ", f.Aliases.Select(a => $"`{a}`"))})" : "")))
            + " — each only where the loaded libvips writes it, else `400` saying so (NetVips.Native writes neither `jxl` nor `heic`)",
        Default = "original or negotiated",
        Read = (text, _, r) =>
        {
            var format = ImageFormat.Requestable.FirstOrDefault(f => f.Names.Contains(text, StringComparer.Ordinal));
            return format is not null
                ? (r with { Format = format.Name }, null)
                : (r, $"must be one of {string.Join(", ", ImageFormat.Requestable.Select(f => f.Name))} "
                      + $"(or {string.Join(", ", ImageFormat.Requestable.SelectMany(f => f.Aliases))})");
        },
        Value = t => t.Format,
    };

    public static readonly TransformationParameter Quality = new()
    {
        Name = "q", Values = "1–100",
        Default = string.Join(", ", ImageFormat.Requestable.Where(f => !f.Lossless).Select(f => $"{f.Name} {f.DefaultQuality}"))
            + "; none for " + string.Join(", ", ImageFormat.Requestable.Where(f => f.Lossless).Select(f => f.Name)),
        Read = Integer(1, _ => 100, (r, v) => r with { Quality = v }),
        Value = t => t.Quality is { } q ? Number(q) : null,
    };

    public static readonly TransformationParameter Rotation = new()
    {
        Name = "r", Values = "`0`, `90`, `180`, `270` clockwise, `auto`", Default = "`0`",
        Read = (text, _, r) => text switch
        {
            "auto" => (r with { AutoRotation = true }, null),
            "0" or "90" or "180" or "270" => (r with { Rotation = int.Parse(text, CultureInfo.InvariantCulture) }, null),
            _ => (r, "must be one of 0, 90, 180, 270, auto"),
        },
        Value = t => Number(t.Rotation), IsDefault = t => t.Rotation == 0,
    };

    public static readonly TransformationParameter Flip = new()
    {
        Name = "f", Values = "`none`, `h`, `v`", Default = "`none`",
        Read = OneOf([("none", FlipMode.None), ("h", FlipMode.H), ("v", FlipMode.V)], (r, v) => r with { Flip = v }),
        Value = t => Lower(t.Flip), IsDefault = t => t.Flip == FlipMode.None,
    };

    private static readonly (string Text, ImageFilter Value)[] Filters =
        [("none", ImageFilter.None), ("black_white", ImageFilter.BlackWhite), ("grayscale", ImageFilter.Grayscale), ("sepia", ImageFilter.Sepia)];

    public static readonly TransformationParameter Filter = new()
    {
        Name = "filter", Values = "`none`, `grayscale` (R = G = B), `black_white` (threshold at 50 %), `sepia`", Default = "`none`",
        Read = OneOf(Filters, (r, v) => r with { Filter = v }),
        Value = t => Filters.First(f => f.Value == t.Filter).Text, IsDefault = t => t.Filter == ImageFilter.None,
    };

    public static readonly TransformationParameter Blur = new()
    {
        Name = "blur", Values = "Gaussian sigma 0–150", Default = "0",
        Read = (text, _, r) =>
            double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var sigma)
            && double.IsFinite(sigma) && sigma is >= 0 and <= MaxBlur
                ? (r with { Blur = sigma }, null)
                : (r, $"must be a number between 0 and {MaxBlur}"),
        Value = t => t.Blur.ToString("0.###", CultureInfo.InvariantCulture), IsDefault = t => t.Blur == 0,
    };

    public static readonly TransformationParameter Pad = new()
    {
        Name = "pad", Values = "0–1000 px on every side", Default = "0",
        Read = Integer(0, _ => MaxPad, (r, v) => r with { Pad = v }),
        Value = t => Number(t.Pad), IsDefault = t => t.Pad == 0,
    };

    public static readonly TransformationParameter PadColor = new()
    {
        Name = "pad-c", Values = "`#RRGGBB` or `#RRGGBBAA` (URL-encode `#` as `%23`)",
        Default = "transparent where the format has alpha, else white",
        Read = (text, _, r) => ParseColor(text) is { } colour
            ? (r with { PadColor = colour }, null)
            : (r, "must be #RRGGBB or #RRGGBBAA (hexadecimal)"),
        Value = t => t.PadColor?.ToString(),
    };

    private static readonly (string Text, StripMetadata Value)[] StripParts =
        [("exif", StripMetadata.Exif), ("iptc", StripMetadata.Iptc), ("xmp", StripMetadata.Xmp)];

    public static readonly TransformationParameter Strip = new()
    {
        Name = "strip",
        Values = "`none` (keep all metadata, ICC profile included), or a comma list of `exif`, `iptc`, `xmp` (each at most once): remove those, keep the rest",
        Default = "`exif,iptc,xmp`: no camera metadata (EXIF with GPS, IPTC, XMP), no comments, and an ICC profile only where the pixels are not sRGB",
        Read = (text, _, r) =>
        {
            var flags = StripMetadata.None;
            if (text != "none")
                foreach (var part in text.Split(','))
                {
                    var flag = StripParts.Where(p => p.Text == part).Select(p => (StripMetadata?)p.Value).FirstOrDefault();
                    if (flag is null || flags.HasFlag(flag.Value))
                        return (r, "must be none, or a comma list of exif, iptc, xmp, each at most once");
                    flags |= flag.Value;
                }
            return (r with { Strip = flags }, null);
        },
        Value = t => t.Strip == StripMetadata.None
            ? "none"
            : string.Join(',', StripParts.Where(p => t.Strip.HasFlag(p.Value)).Select(p => p.Text)),
        IsDefault = t => t.Strip == StripMetadata.All,
    };

    public static readonly TransformationParameter ColorSpace = new()
    {
        Name = "cs", Values = "`origin`, `grayscale`, `srgb`, `p3` (converted through the embedded ICC profile, or from sRGB)",
        Default = "`origin`",
        Read = OneOf([("origin", ColorSpaceMode.Origin), ("grayscale", ColorSpaceMode.Grayscale), ("srgb", ColorSpaceMode.Srgb),
            ("p3", ColorSpaceMode.P3)], (r, v) => r with { ColorSpace = v }),
        Value = t => Lower(t.ColorSpace), IsDefault = t => t.ColorSpace == ColorSpaceMode.Origin,
    };

    public static readonly TransformationParameter Enlarge = new()
    {
        Name = "enlarge", Values = "`true`, `false`", Default = "`false`",
        Read = OneOf([("true", true), ("false", false)], (r, v) => r with { Enlarge = v }),
        Value = t => t.Enlarge ? "true" : "false", IsDefault = t => !t.Enlarge,
    };

    /// <summary>Not part of a transformation: the name of a `variant-profiles` entry, resolved before parsing.</summary>
    public static readonly TransformationParameter Profile = new()
    {
        Name = "profile", Values = "a name from `variant-profiles`; explicit parameters override its fields", Default = "—",
        Read = (text, _, r) => (r with { Profile = text }, null),
    };

    /// <summary>Every parameter, in the order of the canonical key (`dpr` and `profile` write nothing into it).</summary>
    public static IReadOnlyList<TransformationParameter> All { get; } =
        [Width, Height, Dpr, Fit, Gravity, Format, Quality, Rotation, Flip, Filter, Blur, Pad, PadColor, Strip, ColorSpace, Enlarge, Profile];

    public static IReadOnlyList<string> Names { get; } = All.Select(p => p.Name).ToList();

    /// <summary>The canonical parameters of a transformation: defaults left out unless <paramref name="explicitDefaults"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Canonical(Transformation t, bool explicitDefaults) =>
        from p in All
        let value = p.Value(t)
        where value is not null && (explicitDefaults || !p.IsDefault(t))
        select new KeyValuePair<string, string>(p.Name, value);

    /// <summary>The parameter table of docs/api.md.</summary>
    public static string MarkdownTable()
    {
        var table = new StringBuilder("| param | values | default |\n|---|---|---|\n");
        foreach (var p in All) table.Append($"| `{p.Name}` | {p.Values} | {p.Default} |\n");
        return table.ToString();
    }

    private static Func<string, ParameterLimits, TransformationRequest, (TransformationRequest, string?)> Integer(
        int min, Func<ParameterLimits, int> max, Func<TransformationRequest, int, TransformationRequest> set) =>
        (text, limits, r) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max(limits)
                ? (set(r, value), null)
                : (r, $"must be a whole number between {min} and {max(limits)}");

    private static Func<string, ParameterLimits, TransformationRequest, (TransformationRequest, string?)> OneOf<T>(
        (string Text, T Value)[] choices, Func<TransformationRequest, T, TransformationRequest> set) =>
        (text, _, r) =>
        {
            foreach (var (choiceText, value) in choices)
                if (text == choiceText) return (set(r, value), null);
            return (r, $"must be one of {string.Join(", ", choices.Select(c => c.Text))}");
        };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Lower<T>(T value) where T : Enum => value.ToString().ToLowerInvariant();

    private static Rgba? ParseColor(string text)
    {
        if (text.Length is not (7 or 9) || text[0] != '#') return null;
        var bytes = new byte[4] { 0, 0, 0, 255 };
        for (var i = 0; i < (text.Length - 1) / 2; i++)
            if (!byte.TryParse(text.AsSpan(1 + 2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
                return null;
        return new Rgba(bytes[0], bytes[1], bytes[2], bytes[3]);
    }
}
