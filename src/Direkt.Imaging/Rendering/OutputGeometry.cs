using Direkt.Imaging.Transformations;

namespace Direkt.Imaging.Rendering;

/// <summary>
/// The final canvas of a variant — after resize or crop, rotation and padding — and its frames, computed from the header and
/// the normalized transformation before any pixel is decoded. It mirrors <see cref="ResizeLoader"/> (libvips' thumbnail:
/// fit inside the box, never enlarging unless asked; stretch and crop make the box, shrunk to the source without enlarge).
/// </summary>
public sealed record OutputGeometry(int Width, int Height, int Frames)
{
    public long FramePixels => (long)Width * Height;
    public long Pixels => FramePixels * Frames;

    public static OutputGeometry Of(SourceGeometry source, Transformation t, bool animated)
    {
        var (w, h) = Resized(source, t);
        if (t.Rotation is 90 or 270) (w, h) = (h, w);
        return new OutputGeometry(w + 2 * t.Pad, h + 2 * t.Pad, animated ? source.Pages : 1);
    }

    private static (int Width, int Height) Resized(SourceGeometry source, Transformation t)
    {
        if (t.Width is null && t.Height is null) return (source.Width, source.Height);
        if (t.Fit != FitMode.Fit) return ResizeLoader.Box(source, t);

        // Fit inside the box; a missing side leaves that direction free.
        var scale = Math.Min(t.Width is { } bw ? (double)bw / source.Width : double.MaxValue,
            t.Height is { } bh ? (double)bh / source.Height : double.MaxValue);
        if (!t.Enlarge) scale = Math.Min(scale, 1.0);
        return (Side(source.Width * scale, t.Width), Side(source.Height * scale, t.Height));
    }

    // libvips rounds the scaled side; the box side bounds it (rounding never makes a fitted side exceed its box).
    private static int Side(double scaled, int? box)
    {
        var side = Math.Max(1, (int)Math.Round(scaled));
        return box is { } b ? Math.Min(side, b) : (int)Math.Min(side, int.MaxValue);
    }

    /// <summary>Throws when the canvas breaks `limits.max-output-dimension` (per side, padding included) or `limits.max-output-pixels` (all frames).</summary>
    public void Check(OutputLimits limits)
    {
        if (Width > limits.MaxDimension || Height > limits.MaxDimension)
            throw new OutputTooLargeException(
                $"The variant would be {Width}×{Height} pixels (padding included); no side may exceed {limits.MaxDimension}.");
        if (Pixels > limits.MaxPixels)
            throw new OutputTooLargeException(Frames > 1
                ? $"The variant would have {Frames} frames of {Width}×{Height} = {Pixels} pixels; the limit is {limits.MaxPixels}."
                : $"The variant would have {Width}×{Height} = {Pixels} pixels; the limit is {limits.MaxPixels}.");
    }
}

/// <summary>`limits.max-output-dimension` and `limits.max-output-pixels`.</summary>
public sealed record OutputLimits(int MaxDimension, long MaxPixels)
{
    public static OutputLimits Default { get; } = new(8192, 8192L * 8192);
}
