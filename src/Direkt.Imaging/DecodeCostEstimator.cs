using NetVips;

namespace Direkt.Imaging;

/// <summary>
/// Estimates the peak memory of decoding an image for a job, from its header alone (docs/benchmarks.md has the measurements
/// behind the model): libvips shrinks baseline JPEGs while decoding and streams non-interlaced PNGs line by line, so those
/// cost little beyond a fixed overhead; progressive JPEGs, interlaced PNGs and the other formats are decoded whole.
/// </summary>
public static class DecodeCostEstimator
{
    /// <summary>Thread buffers, encoder state and the output: measured ~50 MB for a 100 MP JPEG → 800 px WebP.</summary>
    public const long Overhead = 48L * 1024 * 1024;

    public static long Estimate(string path)
    {
        var format = SourceLoader.Sniff(path);
        using var header = SourceLoader.Header(path, format);
        var pages = header.GetTypeOf("n-pages") != IntPtr.Zero && header.Get("n-pages") is int n ? n : 1;
        var interlaced = header.GetTypeOf("interlaced") != IntPtr.Zero && header.Get("interlaced") is int i && i != 0;
        var pixels = (long)header.Width * header.Height;

        long decoded = format switch
        {
            // Baseline JPEG: DCT scaling on load (up to 1/8 per side) and sequential strips.
            _ when format == ImageFormat.Jpeg && !interlaced => pixels * 3 / 64,
            _ when format == ImageFormat.Png && !interlaced => (long)header.Width * header.Bands * 16,
            _ when format == ImageFormat.Jpeg => pixels * 3,
            _ => pixels * Math.Max(3, header.Bands) * Math.Max(1, pages),
        };
        return Overhead + decoded;
    }
}
