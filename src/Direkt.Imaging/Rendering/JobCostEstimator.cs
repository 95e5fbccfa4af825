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
        var resized = output.FramePixels; // one frame; an attention or entropy crop analyses the whole resized image
        long intermediates = t.Fit == FitMode.Crop && t.Gravity != Gravity.Center ? resized * 4 : 0;
        var encoder = EncoderBytesPerPixel(format, output.Frames) * output.FramePixels;
        var encoded = output.Pixels * (format == ImageFormat.Png || format == ImageFormat.Tiff ? 4 : 1); // the encoded bytes, lossless ones can be near raw size
        return DecodeCostEstimator.Estimate(source) + intermediates + encoder + encoded;
    }

    /// <summary>
    /// Bytes per output pixel of one frame the encoder holds whole (libvips copies the frame to memory for these encoders,
    /// which add their own planes), or streams (JPEG, TIFF: a few lines). Animations keep the whole strip in memory.
    /// </summary>
    private static long EncoderBytesPerPixel(ImageFormat format, int frames) => format.Name switch
    {
        "webp" => 3L * frames + 3,   // measured ~5 B/px (6000² padded: 190 MB): the frames in memory + libwebp's picture and planes
        "avif" or "heic" => 4L * frames + 24, // the frame + libheif YUV planes + the AV1/HEVC encoder's reference frames
        "png" => 8,                  // the frame (16-bit RGBA at most) for the deflate rows and palette choice
        "gif" => 4L * frames + 4,    // cgif quantises whole frames
        "jxl" => 4L * frames + 16,
        _ => 0,                      // jpeg, tiff: streamed in strips
    };
}
