namespace Direkt.Imaging;

/// <summary>
/// Estimates the peak memory of decoding an image for a job, from its header alone (docs/benchmarks.md has the measurements
/// behind the model): libvips shrinks baseline JPEGs while decoding and streams non-interlaced PNGs line by line, so those
/// cost little beyond a fixed overhead; a progressive JPEG holds libjpeg's whole coefficient buffer (2 bytes per
/// coefficient per component, chroma as subsampled); interlaced PNGs and the other formats are decoded whole.
/// </summary>
public static class DecodeCostEstimator
{
    /// <summary>Thread buffers, encoder state and the output: measured ~50 MB for a 100 MP JPEG → 800 px WebP.</summary>
    public const long Overhead = 48L * 1024 * 1024;

    public static long Estimate(string path) => Estimate(SourceHeader.Read(path));

    public static long Estimate(SourceHeader header) => Overhead + Decoded(header);

    /// <summary>The decode alone, without <see cref="Overhead"/>.</summary>
    public static long Decoded(SourceHeader h)
    {
        var pixels = (long)h.Width * h.Height;
        var pixelBytes = (long)Math.Max(3, h.Bands) * h.SampleBytes;
        return h.Format switch
        {
            // Baseline JPEG: DCT scaling on load (up to 1/8 per side) and sequential strips.
            var f when f == ImageFormat.Jpeg && !h.Interlaced => pixels * h.Bands / 64,
            var f when f == ImageFormat.Png && !h.Interlaced => (long)h.Width * pixelBytes * 16,
            // Progressive JPEG: the coefficients of every component (luma full, chroma as subsampled; CMYK is 4 full
            // components), 2 bytes each: 3 bytes a pixel at 4:2:0, 6 at 4:4:4, 8 for CMYK.
            var f when f == ImageFormat.Jpeg => (long)(pixels * 2 * (1 + (h.Bands - 1) * h.ChromaShare)),
            _ => pixels * pixelBytes * h.Pages,
        };
    }
}
