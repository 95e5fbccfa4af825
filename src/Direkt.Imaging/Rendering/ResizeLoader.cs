using Direkt.Imaging.Transformations;
using NetVips;

namespace Direkt.Imaging.Rendering;

/// <summary>
/// Load, auto-orient and resize/crop in one libvips thumbnail call, so JPEG, WebP and others shrink while decoding
/// (a 100 MP JPEG turned into 800 px never exists at full size in memory). Never enlarges unless asked to.
/// </summary>
internal static class ResizeLoader
{
    // Larger than any allowed source; "fit inside width × this" leaves the height free.
    private const int Unbounded = 10_000_000;

    public static Image Load(string path, SourceGeometry source, Transformation t, bool animate)
    {
        var format = source.Format;
        if (t.Width is null && t.Height is null)
            return SourceLoader.Thumbnail(path, format, animate, Unbounded, height: Unbounded, size: Enums.Size.Down, failOn: Enums.FailOn.Error);

        switch (t.Fit)
        {
            case FitMode.Fit:
                return SourceLoader.Thumbnail(path, format, animate, t.Width ?? Unbounded, height: t.Height ?? Unbounded,
                    size: t.Enlarge ? Enums.Size.Both : Enums.Size.Down, failOn: Enums.FailOn.Error);
            case FitMode.Stretch:
            {
                var (w, h) = Box(source, t);
                return SourceLoader.Thumbnail(path, format, animate, w, height: h, size: Enums.Size.Force, failOn: Enums.FailOn.Error);
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
                return SourceLoader.Thumbnail(path, format, animate, w, height: h, crop: interesting, size: Enums.Size.Both,
                    failOn: Enums.FailOn.Error);
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
}

/// <summary>The original's format (from its bytes), its size as displayed (after EXIF orientation) and its frame count.</summary>
public sealed record SourceGeometry(ImageFormat Format, int Width, int Height, int Pages);
