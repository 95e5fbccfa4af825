using Direkt.Imaging.Transformations;
using NetVips;

namespace Direkt.Imaging.Rendering;

/// <summary>
/// Load, auto-orient and resize/crop in one libvips thumbnail call, so JPEG, WebP and others shrink while decoding
/// (a 100 MP JPEG turned into 800 px never exists at full size in memory). Never enlarges unless asked to. The same resize
/// also runs on a decoded copy kept in memory (<see cref="DecodedOriginals"/>): <see cref="LoadShrink"/> says which copy
/// gives the very pixels the file would.
/// </summary>
internal static class ResizeLoader
{
    // Larger than any allowed source; "fit inside width × this" leaves the height free.
    private const int Unbounded = 10_000_000;

    public static Image Load(string path, SourceGeometry source, Transformation t, bool animate)
    {
        var r = Request(source, t);
        return SourceLoader.Thumbnail(path, source.Format, animate, r.Width, height: r.Height, size: r.Size, crop: r.Crop,
            failOn: Enums.FailOn.Error);
    }

    /// <summary>The same resize of a decoded, not yet oriented copy of the original (its orientation tag is applied here).</summary>
    public static Image Resize(Image decoded, SourceGeometry source, Transformation t)
    {
        var r = Request(source, t);
        return decoded.ThumbnailImage(r.Width, height: r.Height, size: r.Size, crop: r.Crop);
    }

    /// <summary>
    /// The shrink the format's loader decodes at for this job, as libvips' thumbnail picks it: the largest of the format's
    /// <see cref="ImageFormat.DecodeShrinks"/> that still leaves at least a factor of two for the final resize (libvips
    /// avoids the block shrink's extra sharpness that way). Checked pixel for pixel against <c>thumbnail</c> in
    /// DecodedOriginalsTests.
    /// </summary>
    public static int LoadShrink(SourceGeometry source, Transformation t)
    {
        var shrinks = source.Format.DecodeShrinks ?? [];
        if (shrinks.Count == 0) return 1;
        var r = Request(source, t);
        var h = (double)source.Width / r.Width;
        var v = (double)source.Height / r.Height;
        if (r.Crop is not null) h = v = Math.Min(h, v);       // fill the box: the smaller shrink
        else if (r.Size != Enums.Size.Force) h = v = Math.Max(h, v); // fit inside the box: the larger one
        if (r.Size == Enums.Size.Down) (h, v) = (Math.Max(1, h), Math.Max(1, v));
        else if (r.Size == Enums.Size.Up) (h, v) = (Math.Min(1, h), Math.Min(1, v));
        var shrink = Math.Min(h, v);
        foreach (var factor in shrinks)
            if (shrink >= 2 * factor) return factor;
        return 1;
    }

    private static ThumbnailRequest Request(SourceGeometry source, Transformation t)
    {
        if (t.Width is null && t.Height is null) return new(Unbounded, Unbounded, Enums.Size.Down, null);
        switch (t.Fit)
        {
            case FitMode.Fit:
                return new(t.Width ?? Unbounded, t.Height ?? Unbounded, t.Enlarge ? Enums.Size.Both : Enums.Size.Down, null);
            case FitMode.Stretch:
            {
                var (w, h) = Box(source, t);
                return new(w, h, Enums.Size.Force, null);
            }
            default:
            {
                var (w, h) = Box(source, t);
                var interesting = t.Gravity switch
                {
                    Gravity.Entropy => Enums.Interesting.Entropy,
                    Gravity.Attention => Enums.Interesting.Attention,
                    _ => Enums.Interesting.Centre,
                };
                return new(w, h, Enums.Size.Both, interesting);
            }
        }
    }

    /// <summary>
    /// The output box for crop and stretch. Without <c>enlarge</c>, a box larger than the (oriented) source shrinks,
    /// keeping its aspect ratio, until no side exceeds the source.
    /// </summary>
    public static (int Width, int Height) Box(SourceGeometry source, Transformation t)
    {
        var (w, h) = (t.Width!.Value, t.Height!.Value);
        if (t.Enlarge) return (w, h);
        var factor = Math.Min(1.0, Math.Min((double)source.Width / w, (double)source.Height / h));
        return (Math.Max(1, (int)Math.Round(w * factor)), Math.Max(1, (int)Math.Round(h * factor)));
    }

    /// <summary>libvips thumbnail's target box, how it may scale (<c>size</c>) and, for a fill, where it crops.</summary>
    private sealed record ThumbnailRequest(int Width, int Height, Enums.Size Size, Enums.Interesting? Crop);
}

/// <summary>The original's format (from its bytes), its size as displayed (after EXIF orientation) and its frame count.</summary>
public sealed record SourceGeometry(ImageFormat Format, int Width, int Height, int Pages);
