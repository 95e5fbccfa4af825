using System.Globalization;

namespace Direkt.Client;

/// <summary>
/// The transformation parameters of a variant (docs/api.md, "Variants"). Each property is the query parameter named in
/// <see cref="Parameters"/>; null leaves it out. The server checks every value and answers 400 naming the parameter.
/// </summary>
public sealed record Transformation
{
    /// <summary>Width, 1 to limits.max-output-dimension.</summary>
    public int? W { get; init; }
    /// <summary>Height, 1 to limits.max-output-dimension.</summary>
    public int? H { get; init; }
    /// <summary>Device pixel ratio 1–4 in steps of 0.5; multiplies W/H (needs one of them).</summary>
    public double? Dpr { get; init; }
    /// <summary>fit (default), fill, crop, stretch.</summary>
    public string? Fit { get; init; }
    /// <summary>center, entropy, attention.</summary>
    public string? G { get; init; }
    /// <summary>jpg, png, webp, avif, gif, tiff, jxl, heic (where the server writes them).</summary>
    public string? Format { get; init; }
    /// <summary>Quality 1–100 (lossy formats).</summary>
    public int? Q { get; init; }
    /// <summary>0, 90, 180, 270 or auto.</summary>
    public string? R { get; init; }
    /// <summary>none, h, v.</summary>
    public string? F { get; init; }
    /// <summary>none, grayscale, black_white, sepia.</summary>
    public string? Filter { get; init; }
    /// <summary>Gaussian sigma 0–150.</summary>
    public double? Blur { get; init; }
    /// <summary>Padding 0–1000 px.</summary>
    public int? Pad { get; init; }
    /// <summary>#RRGGBB or #RRGGBBAA (pad-c).</summary>
    public string? PadColor { get; init; }
    /// <summary>none, or a comma list of exif, iptc, xmp.</summary>
    public string? Strip { get; init; }
    /// <summary>origin, grayscale, srgb, p3.</summary>
    public string? Cs { get; init; }
    public bool? Enlarge { get; init; }
    /// <summary>A name from the server's variant-profiles.</summary>
    public string? Profile { get; init; }

    /// <summary>
    /// Each query parameter with how it is read from a transformation, in the server's canonical key order. A test compares
    /// the names with the server's OpenAPI document, so a parameter the server gains fails until it is here.
    /// </summary>
    public static IReadOnlyList<(string Name, Func<Transformation, string?> Value)> Parameters { get; } =
    [
        ("w", t => Number(t.W)), ("h", t => Number(t.H)), ("dpr", t => Number(t.Dpr)), ("fit", t => t.Fit), ("g", t => t.G),
        ("format", t => t.Format), ("q", t => Number(t.Q)), ("r", t => t.R), ("f", t => t.F), ("filter", t => t.Filter),
        ("blur", t => Number(t.Blur)), ("pad", t => Number(t.Pad)), ("pad-c", t => t.PadColor), ("strip", t => t.Strip),
        ("cs", t => t.Cs), ("enlarge", t => t.Enlarge is { } e ? (e ? "true" : "false") : null), ("profile", t => t.Profile),
    ];

    /// <summary>The query string (no leading ?): parameters in table order, values percent-encoded.</summary>
    public string ToQuery() => string.Join("&",
        from p in Parameters let value = p.Value(this) where value is not null select $"{p.Name}={Uri.EscapeDataString(value)}");

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);
    private static string? Number(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture);
}
