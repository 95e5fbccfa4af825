using NetVips;

namespace Direkt.Imaging.Placeholders;

/// <summary>
/// The placeholder strings for an image: a BlurHash (4×3 components) and a ThumbHash (base64 without padding, see
/// <see cref="ThumbHash.EncodeBase64"/>). Either is null when it was not asked for.
/// </summary>
public sealed record PlaceholderHashes(string? Blurhash, string? Thumbhash);

/// <summary>
/// Computes <see cref="PlaceholderHashes"/> from an image file with one small libvips decode shared by both hashes: a
/// thumbnail that fits in 100×100 (the ThumbHash maximum, and plenty for the few cosine terms of a 4×3 BlurHash), so
/// JPEG and WebP shrink while decoding and the hashing itself works on at most 10,000 pixels.
/// </summary>
public static class PlaceholderComputer
{
    /// <summary>BlurHash components: 4 across, 3 down, the size the BlurHash authors recommend for typical photos.</summary>
    private const int BlurHashComponentsX = 4;
    private const int BlurHashComponentsY = 3;

    /// <exception cref="VipsException">The file cannot be read or decoded.</exception>
    public static PlaceholderHashes Compute(string imagePath, bool blurhash, bool thumbhash)
    {
        if (!blurhash && !thumbhash) return new PlaceholderHashes(null, null);

        var (rgba, width, height) = LoadRgba(imagePath);
        return new PlaceholderHashes(
            blurhash ? BlurHash.Encode(rgba, width, height, BlurHashComponentsX, BlurHashComponentsY) : null,
            thumbhash ? ThumbHash.EncodeBase64(rgba, width, height) : null);
    }

    /// <summary>The placeholders of an encoded image Direkt just rendered (a variant in memory).</summary>
    /// <exception cref="VipsException">The bytes cannot be decoded.</exception>
    public static PlaceholderHashes Compute(byte[] encoded, bool blurhash, bool thumbhash)
    {
        if (!blurhash && !thumbhash) return new PlaceholderHashes(null, null);
        using var thumbnail = Image.ThumbnailBuffer(encoded, ThumbHash.MaxSide, height: ThumbHash.MaxSide, size: Enums.Size.Down);
        var (rgba, width, height) = ToRgba(thumbnail);
        return new PlaceholderHashes(
            blurhash ? BlurHash.Encode(rgba, width, height, BlurHashComponentsX, BlurHashComponentsY) : null,
            thumbhash ? ThumbHash.EncodeBase64(rgba, width, height) : null);
    }

    /// <summary>
    /// Decodes to at most 100×100 (first frame of an animation, EXIF orientation applied, aspect ratio kept, never
    /// enlarged: a smaller image is hashed as it is), then to 8-bit sRGB with straight alpha, four bytes per pixel.
    /// </summary>
    private static (byte[] Rgba, int Width, int Height) LoadRgba(string path)
    {
        using var thumbnail = SourceLoader.Thumbnail(path, Sniff(path), allPages: false, ThumbHash.MaxSide,
            height: ThumbHash.MaxSide, size: Enums.Size.Down);
        return ToRgba(thumbnail);
    }

    private static (byte[] Rgba, int Width, int Height) ToRgba(Image thumbnail)
    {
        // The thumbnail already brings CMYK, Lab, 16-bit and float sources to 8-bit sRGB; greyscale (with or without
        // alpha) stays greyscale until here, where it becomes three (or four) bands of sRGB.
        using var srgb = thumbnail.Colourspace(Enums.Interpretation.Srgb);
        using var rgba = WithAlpha(srgb);
        using var bytes = rgba.Cast(Enums.BandFormat.Uchar);
        return (bytes.WriteToMemory<byte>(), bytes.Width, bytes.Height);
    }

    // Placeholders are computed from files Direkt wrote or already inspected; one that is no image is a decoding failure
    // like any other, reported as libvips reports it.
    private static ImageFormat Sniff(string path)
    {
        try
        {
            return SourceLoader.Sniff(path);
        }
        catch (UnsupportedImageException e)
        {
            throw new VipsException(e.Message);
        }
    }

    /// <summary>Exactly R, G, B, A: opaque alpha added when missing, extra bands dropped.</summary>
    private static Image WithAlpha(Image srgb) => srgb.Bands switch
    {
        3 => srgb.Bandjoin(255),
        4 => srgb.Copy(),
        > 4 => srgb.ExtractBand(0, n: 4),
        _ => throw new NotSupportedException($"A {srgb.Bands}-band image after conversion to sRGB."),
    };
}
