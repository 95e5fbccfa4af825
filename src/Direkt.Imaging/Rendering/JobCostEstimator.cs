using Direkt.Imaging.Transformations;

namespace Direkt.Imaging.Rendering;

/// <summary>
/// The peak memory of a whole variant job, for admission (docs/operations.md "Image work" has the measurements): the decode
/// (<see cref="DecodeCostEstimator"/>), the intermediates that libvips materialises, the encoder's whole-frame buffers and the
/// encoded bytes held in memory. libvips pipelines are demand-driven, so most steps cost tiles, not images; what does hold
/// images is listed here.
/// </summary>
public static class JobCostEstimator
{
    public static long Estimate(SourceHeader source, OutputGeometry output, ImageFormat format, Transformation t)
    {
        // An attention or entropy crop analyses the whole resized image.
        long intermediates = t.Fit == FitMode.Crop && t.Gravity != Gravity.Center ? output.FramePixels * 4 : 0;
        return DecodeCostEstimator.Estimate(source) + intermediates + EncoderBytesPerPixel(format, output.Frames) * output.FramePixels;
    }

    /// <summary>
    /// Bytes per output pixel of one frame from encoding to memory, measured as peak RSS of the real process (docs/operations.md
    /// "Image work"): the frames the encoder holds whole (libvips copies them to memory for WebP, AVIF, GIF, JPEG XL, which add
    /// their own planes; animations keep every frame), the growing output buffer and its managed copy. JPEG and TIFF encode in
    /// strips but their buffers still grow with the canvas.
    /// </summary>
    private static long EncoderBytesPerPixel(ImageFormat format, int frames) => format.Name switch
    {
        "webp" => 3L * frames + 11,  // measured 14 B/px: 64 MP padded canvas 893 MB
        "avif" or "heic" => 3L * frames + 25, // measured 28 B/px: 9 MP 255 MB (libheif planes + the AV1 encoder's frames)
        "gif" => 4L * frames + 4,    // cgif quantises whole frames
        "jxl" => 4L * frames + 16,
        "png" => 8,                  // measured 1 B/px on smooth content; 16-bit RGBA rows and incompressible output allowed for
        _ => 6,                      // jpeg (measured 5.9 B/px: 64 MP 378 MB), tiff
    };
}
