namespace Direkt.Imaging.Transformations;

/// <summary>What a request (or profile) asked for, parsed and bounds-checked but not yet normalized against the original.</summary>
public sealed record TransformationRequest
{
    public int? Width { get; init; }
    public int? Height { get; init; }
    /// <summary>`dpr` in halves (2 = 1×, 8 = 4×) until the parser has multiplied it into <see cref="Width"/>/<see cref="Height"/>.</summary>
    public int? DprHalves { get; init; }
    /// <summary>Null = not given; "fill" has already become Crop + Center.</summary>
    public FitMode? Fit { get; init; }
    public Gravity? Gravity { get; init; }
    /// <summary>Canonical format name (jpg, png, webp, avif, gif, tiff, jxl, heic), or null for "original / negotiated".</summary>
    public string? Format { get; init; }
    public int? Quality { get; init; }
    /// <summary>0, 90, 180, 270; null for `auto` or not given.</summary>
    public int? Rotation { get; init; }
    public bool AutoRotation { get; init; }
    public FlipMode? Flip { get; init; }
    public ImageFilter? Filter { get; init; }
    public double? Blur { get; init; }
    public int? Pad { get; init; }
    public Rgba? PadColor { get; init; }
    public StripMetadata? Strip { get; init; }
    public ColorSpaceMode? ColorSpace { get; init; }
    public bool? Enlarge { get; init; }
    public string? Profile { get; init; }

    /// <summary>True when no transformation parameter was given at all (the original is meant).</summary>
    public bool IsEmpty => this == Empty;

    public static TransformationRequest Empty { get; } = new();
}
