using Direkt.Imaging.Transformations;
using NetVips;

namespace Direkt.Imaging.Rendering;

/// <summary>How this server encodes beyond each format's fixed saver options: `variant-generation.avif-effort`.</summary>
public sealed record EncodingSettings(int AvifEffort = ImageFormat.AvifEffort)
{
    public static EncodingSettings Default { get; } = new();
}

/// <summary>Writes the final image with the output format's saver (<see cref="ImageFormat"/>), its quality and the metadata that is kept.</summary>
internal static class Encoder
{
    /// <summary>The encoded file in memory: the store is written from these bytes, with no temporary output file.</summary>
    public static byte[] Save(Image image, ImageFormat format, Transformation t, EncodingSettings settings)
    {
        var saver = format.Saver ?? throw new UnsupportedImageException($"Cannot write {format.Name}.");
        using var ready = Prepare(image, format);
        return saver.SaveToBuffer(ready, new SaveSettings(t.Quality, Keep(t.Strip, ready), format == ImageFormat.Avif ? settings.AvifEffort : null));
    }

    // Formats without alpha get the image flattened on white, never on black.
    private static Image Prepare(Image image, ImageFormat format) =>
        image.HasAlpha() && !format.SupportsAlpha ? image.Flatten(background: [255, 255, 255]) : image.Copy();

    /// <summary>
    /// What the variant carries: everything with `strip=none`; without EXIF, IPTC or XMP as listed; and when all three are
    /// stripped (the default) a lean file: no comments or other metadata either, and an ICC profile only where the pixels
    /// are not sRGB (a Display-P3 or Adobe RGB photo needs its profile to look right; an sRGB one looks the same without).
    /// </summary>
    public static Enums.ForeignKeep Keep(StripMetadata strip, Image image)
    {
        var keep = Enums.ForeignKeep.All;
        if (strip.HasFlag(StripMetadata.Exif)) keep &= ~Enums.ForeignKeep.Exif;
        if (strip.HasFlag(StripMetadata.Iptc)) keep &= ~Enums.ForeignKeep.Iptc;
        if (strip.HasFlag(StripMetadata.Xmp)) keep &= ~Enums.ForeignKeep.Xmp;
        if (strip == StripMetadata.All)
        {
            keep &= ~Enums.ForeignKeep.Other;
            if (image.GetTypeOf("icc-profile-data") == IntPtr.Zero || IccProfiles.IsSrgb(image.Get("icc-profile-data") as byte[] ?? []))
                keep &= ~Enums.ForeignKeep.Icc;
        }
        return keep;
    }
}
