using Direkt.Imaging.Rendering;
using NetVips;

namespace Direkt.Imaging;

/// <summary>
/// What the original's header says, read once per job and passed along: the sniffed format, the stored size and EXIF
/// orientation, the pages, and what decoding costs depend on (bands, bytes per sample, interlacing, JPEG chroma subsampling).
/// </summary>
public sealed record SourceHeader(
    ImageFormat Format, int Width, int Height, int Orientation, int Pages, int Bands, int SampleBytes, bool Interlaced,
    double ChromaShare, int Loop = 0, string ColorSpace = "srgb")
{
    /// <summary>
    /// Whether libjpeg could spend far more time on this file than its size suggests: only a progressive JPEG, whose
    /// refinement scans can cover every coefficient with a few bytes each (<see cref="JpegScans"/>). A sequential JPEG's scans
    /// must each code every block of their components, so their work grows with the file's size, not beyond it.
    /// </summary>
    public bool NeedsScanCheck => Format == ImageFormat.Jpeg && Interlaced;

    /// <summary>The size as displayed (orientations 5–8 swap the sides) and the frames.</summary>
    public SourceGeometry Geometry => Orientation is >= 5 and <= 8
        ? new SourceGeometry(Format, Height, Width, Pages)
        : new SourceGeometry(Format, Width, Height, Pages);

    /// <summary>Sniffs the file and reads its header through the format's own loader (no pixels are decoded).</summary>
    /// <exception cref="CorruptImageException">The header cannot be read.</exception>
    internal static SourceHeader Read(string path) => Read(path, SourceLoader.Sniff(path));

    /// <summary>The header of a file already sniffed as <paramref name="format"/>: the one time a job opens it before decoding.</summary>
    internal static SourceHeader Read(string path, ImageFormat format)
    {
        try
        {
            using var header = SourceLoader.Header(path, format);
            return new SourceHeader(format, header.Width, header.Height, Math.Clamp(Int(header, "orientation", 1), 1, 8),
                Math.Max(1, Int(header, "n-pages", 1)), header.Bands, BytesPerSample(header.Format), Int(header, "interlaced", 0) != 0,
                ChromaShareOf(header), Int(header, "loop", 0), ImageInspector.ColorSpaceName(header.Interpretation));
        }
        catch (VipsException e)
        {
            throw new CorruptImageException($"The {format.Name} header cannot be read.", e);
        }
    }

    private static int Int(Image image, string field, int fallback) =>
        image.GetTypeOf(field) != IntPtr.Zero && image.Get(field) is int value ? value : fallback;

    /// <summary>The bytes of one sample of a libvips band format.</summary>
    internal static int BytesPerSample(Enums.BandFormat format) => format switch
    {
        Enums.BandFormat.Uchar or Enums.BandFormat.Char => 1,
        Enums.BandFormat.Ushort or Enums.BandFormat.Short => 2,
        Enums.BandFormat.Double or Enums.BandFormat.Complex => 8,
        Enums.BandFormat.Dpcomplex => 16,
        _ => 4,
    };

    // A chroma component's samples relative to luma: libvips reports "4:4:4" when nothing is subsampled, else "4:2:0";
    // 4:2:0 (a quarter) is the common and the cheapest case, so anything not full is counted as 4:2:2 (a half) to be safe.
    private static double ChromaShareOf(Image header) =>
        header.GetTypeOf("jpeg-chroma-subsample") != IntPtr.Zero && header.Get("jpeg-chroma-subsample") is string s
            ? s.StartsWith("4:4:4", StringComparison.Ordinal) ? 1.0 : s == "4:2:0" ? 0.25 : 0.5 // CMYK says "4:4:4:4"
            : 1.0;
}
