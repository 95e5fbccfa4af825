namespace Direkt.Imaging;

/// <summary>Limits checked from the header, before any pixel is decoded.</summary>
public sealed record ImagingLimits
{
    public long MaxSourcePixels { get; init; } = 268_402_689;
    public int MaxAnimationFrames { get; init; } = 500;
    /// <summary>The most scans of a JPEG (<see cref="JpegScans.DefaultLimit"/>); not an operator setting.</summary>
    public int MaxJpegScans { get; init; } = JpegScans.DefaultLimit;
}

/// <summary>What an image is, as stored: one page's width and height, pages, loop count, colour space, EXIF orientation (1–8).</summary>
public sealed record ImageAttributes(int Width, int Height, ImageFormat Format, int PageCount, int Loop, string ColorSpace, int Orientation);
