using Direkt.Imaging.Transformations;
using System.Globalization;

namespace Direkt.Assets.Transformations;

/// <summary>
/// Parses the transformation parameters of API.md §4 strictly: unknown values, out-of-range numbers and missing partners are
/// errors naming the parameter. The same parser reads URL queries and `variant-profiles` entries of direkt.conf.
/// </summary>
public static class TransformationParser
{
    public const double MaxBlur = 150;
    public const int MaxPad = 1000;

    public static readonly IReadOnlyList<string> ParameterNames =
        ["w", "h", "fit", "g", "format", "q", "r", "f", "filter", "blur", "pad", "pad-c", "strip", "cs", "enlarge", "profile"];

    private static readonly string[] FormatNames = ["jpg", "png", "webp", "avif", "gif", "tiff", "jxl", "heic"];

    /// <summary>Parses <paramref name="parameters"/>; returns null and fills <paramref name="errors"/> when anything is wrong.</summary>
    public static TransformationRequest? TryParse(
        IReadOnlyDictionary<string, string> parameters, int maxOutputDimension, out IReadOnlyDictionary<string, string[]> errors)
    {
        var problems = new Dictionary<string, string[]>();
        void Problem(string name, string message) => problems[name] = [message];
        string? Get(string name) => parameters.TryGetValue(name, out var v) ? v : null;

        int? Integer(string name, int min, int max)
        {
            if (Get(name) is not { } text) return null;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
                return value;
            Problem(name, $"must be a whole number between {min} and {max}");
            return null;
        }

        T? OneOf<T>(string name, params (string Text, T Value)[] choices) where T : struct
        {
            if (Get(name) is not { } text) return null;
            foreach (var (choiceText, value) in choices)
                if (text == choiceText) return value;
            Problem(name, $"must be one of {string.Join(", ", choices.Select(c => c.Text))}");
            return null;
        }

        foreach (var name in parameters.Keys)
            if (!ParameterNames.Contains(name)) Problem(name, "is not a transformation parameter");

        var width = Integer("w", 1, maxOutputDimension);
        var height = Integer("h", 1, maxOutputDimension);
        var fitText = Get("fit");
        var fit = OneOf("fit", ("fit", FitMode.Fit), ("fill", FitMode.Crop), ("stretch", FitMode.Stretch), ("crop", FitMode.Crop));
        var gravity = OneOf("g", ("center", Gravity.Center), ("entropy", Gravity.Entropy), ("attention", Gravity.Attention));
        if (fitText == "fill")
        {
            if (gravity is not null and not Gravity.Center) Problem("g", "fit=fill always crops at the center; use fit=crop with g");
            gravity = Gravity.Center;
        }
        if (fit is FitMode.Crop or FitMode.Stretch && (width is null || height is null) && !problems.ContainsKey("w") && !problems.ContainsKey("h"))
            Problem(width is null ? "w" : "h", $"fit={fitText} needs both w and h");

        string? format = null;
        if (Get("format") is { } formatText)
        {
            format = formatText == "jpeg" ? "jpg" : formatText;
            if (!FormatNames.Contains(format)) { Problem("format", $"must be one of {string.Join(", ", FormatNames)} (or jpeg)"); format = null; }
        }

        var quality = Integer("q", 1, 100);
        int? rotation = null;
        var autoRotation = false;
        if (Get("r") is { } rotationText)
        {
            if (rotationText == "auto") autoRotation = true;
            else if (rotationText is "0" or "90" or "180" or "270") rotation = int.Parse(rotationText, CultureInfo.InvariantCulture);
            else Problem("r", "must be one of 0, 90, 180, 270, auto");
        }
        var flip = OneOf("f", ("none", FlipMode.None), ("h", FlipMode.H), ("v", FlipMode.V));
        var filter = OneOf("filter", ("none", ImageFilter.None), ("black_white", ImageFilter.BlackWhite),
            ("grayscale", ImageFilter.Grayscale), ("sepia", ImageFilter.Sepia));

        double? blur = null;
        if (Get("blur") is { } blurText)
        {
            if (double.TryParse(blurText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var sigma)
                && double.IsFinite(sigma) && sigma is >= 0 and <= MaxBlur)
                blur = sigma;
            else Problem("blur", $"must be a number between 0 and {MaxBlur}");
        }

        var pad = Integer("pad", 0, MaxPad);
        Rgba? padColor = null;
        if (Get("pad-c") is { } colorText)
        {
            padColor = ParseColor(colorText);
            if (padColor is null) Problem("pad-c", "must be #RRGGBB or #RRGGBBAA (hexadecimal)");
        }

        StripMetadata? strip = null;
        if (Get("strip") is { } stripText)
        {
            var flags = StripMetadata.None;
            if (stripText != "none")
                foreach (var part in stripText.Split(','))
                {
                    var flag = part switch { "exif" => StripMetadata.Exif, "iptc" => StripMetadata.Iptc, "xmp" => StripMetadata.Xmp, _ => (StripMetadata?)null };
                    if (flag is null || flags.HasFlag(flag.Value)) { Problem("strip", "must be none, or a comma list of exif, iptc, xmp, each at most once"); break; }
                    flags |= flag.Value;
                }
            strip = flags;
        }

        var colorSpace = OneOf("cs", ("origin", ColorSpaceMode.Origin), ("grayscale", ColorSpaceMode.Grayscale),
            ("srgb", ColorSpaceMode.Srgb), ("p3", ColorSpaceMode.P3));
        var enlarge = OneOf("enlarge", ("true", true), ("false", false));

        errors = problems;
        if (problems.Count > 0) return null;
        return new TransformationRequest
        {
            Width = width, Height = height, Fit = fit, Gravity = gravity, Format = format, Quality = quality,
            Rotation = rotation, AutoRotation = autoRotation, Flip = flip, Filter = filter, Blur = blur, Pad = pad,
            PadColor = padColor, Strip = strip, ColorSpace = colorSpace, Enlarge = enlarge, Profile = Get("profile"),
        };
    }

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
