using NetVips;

namespace Direkt.Imaging.Placeholders;

/// <summary>
/// The placeholder strings for an image: a BlurHash (4×3 components) and a ThumbHash (base64 without padding, see
/// <see cref="ThumbHash.EncodeBase64"/>). Either is null when it was not asked for.
/// </summary>
public sealed record Placeholders(string? Blurhash, string? Thumbhash);

/// <summary>
/// Computes <see cref="Placeholders"/> from an image file with one small libvips decode: a thumbnail that fits in
/// 100×100 (the ThumbHash maximum, and plenty for a 4×3 BlurHash, whose few cosine terms barely change between 32 and
/// 100 px), so JPEG and WebP shrink while decoding and the hashes cost well under a millisecond on top.
/// </summary>
public static class PlaceholderComputer
{
    /// <summary>BlurHash components: 4 across, 3 down, the size the BlurHash authors recommend for typical photos.</summary>
    private const int BlurHashComponentsX = 4;
    private const int BlurHashComponentsY = 3;

    /// <exception cref="VipsException">The file cannot be read or decoded.</exception>
    public static Placeholders Compute(string imagePath, bool blurhash, bool thumbhash)
    {
        if (!blurhash && !thumbhash) return new Placeholders(null, null);

        var (rgba, width, height) = LoadRgba(imagePath);
        return new Placeholders(
            blurhash ? BlurHash.Encode(rgba, width, height, BlurHashComponentsX, BlurHashComponentsY) : null,
            thumbhash ? ThumbHash.EncodeBase64(rgba, width, height) : null);
    }

    /// <summary>
    /// Decodes to at most 100×100 (first frame of an animation, EXIF orientation applied, aspect ratio kept, never
    /// enlarged: a smaller image is hashed as it is), then to 8-bit sRGB with straight alpha, four bytes per pixel.
    /// </summary>
    private static (byte[] Rgba, int Width, int Height) LoadRgba(string path)
    {
        using var thumbnail = Image.Thumbnail(path, ThumbHash.MaxSide, height: ThumbHash.MaxSide, size: Enums.Size.Down);
        // Greyscale, CMYK, Lab, 16-bit and float sources all become 3 (or with alpha 4) bands of sRGB here.
        using var srgb = thumbnail.Colourspace(Enums.Interpretation.Srgb);
        using var rgba = WithAlpha(srgb);
        using var bytes = rgba.Cast(Enums.BandFormat.Uchar);
        return (bytes.WriteToMemory<byte>(), bytes.Width, bytes.Height);
    }

    /// <summary>Exactly R, G, B, A: opaque alpha added when missing, extra bands dropped; one or two bands (left by an
    /// unusual source) are read as grey and grey + alpha.</summary>
    private static Image WithAlpha(Image srgb) => srgb.Bands switch
    {
        1 => srgb.Bandjoin(srgb, srgb, 255),
        2 => srgb.ExtractBand(0).Bandjoin(srgb.ExtractBand(0), srgb.ExtractBand(0), srgb.ExtractBand(1)),
        3 => srgb.Bandjoin(255),
        4 => srgb.Copy(),
        _ => srgb.ExtractBand(0, n: 4),
    };
}
