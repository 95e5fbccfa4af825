using Direkt.Imaging.Transformations;
using NetVips;

namespace Direkt.Imaging.Rendering;

/// <summary>Writes the final image in the output format, with the requested quality and the metadata that is kept.</summary>
internal static class Encoder
{
    /// <summary>AVIF effort (0 fastest – 9 smallest): encoding AVIF costs several times JPEG; 2 keeps it bounded.</summary>
    public const int AvifEffort = 2;

    public static void Save(Image image, string path, ImageFormat format, Transformation t)
    {
        var keep = Keep(t.Strip);
        var q = t.Quality;
        using var ready = Prepare(image, format);
        switch (format.Name)
        {
            case "jpg": ready.Jpegsave(path, q: q, keep: keep, optimizeCoding: true, interlace: false); break;
            case "png": ready.Pngsave(path, keep: keep); break;
            case "webp": ready.Webpsave(path, q: q, keep: keep); break;
            case "avif": ready.Heifsave(path, q: q, compression: Enums.ForeignHeifCompression.Av1, effort: AvifEffort, keep: keep); break;
            case "heic": ready.Heifsave(path, q: q, compression: Enums.ForeignHeifCompression.Hevc, keep: keep); break;
            case "gif": ready.Gifsave(path, keep: keep); break;
            case "tiff": ready.Tiffsave(path, compression: Enums.ForeignTiffCompression.Deflate, keep: keep); break;
            case "jxl": ready.Jxlsave(path, q: q, keep: keep); break;
            default: throw new UnsupportedImageException($"Cannot write {format.Name}.");
        }
    }

    // Formats without alpha get the image flattened on white, never on black.
    private static Image Prepare(Image image, ImageFormat format) =>
        image.HasAlpha() && !format.SupportsAlpha ? image.Flatten(background: [255, 255, 255]) : image.Copy();

    private static Enums.ForeignKeep Keep(StripMetadata strip)
    {
        var keep = Enums.ForeignKeep.All;
        if (strip.HasFlag(StripMetadata.Exif)) keep &= ~Enums.ForeignKeep.Exif;
        if (strip.HasFlag(StripMetadata.Iptc)) keep &= ~Enums.ForeignKeep.Iptc;
        if (strip.HasFlag(StripMetadata.Xmp)) keep &= ~Enums.ForeignKeep.Xmp;
        return keep;
    }
}
