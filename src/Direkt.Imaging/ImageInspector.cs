using NetVips;

namespace Direkt.Imaging;

/// <summary>
/// Decides whether a file is an image Direkt accepts and what it is: the type from the magic bytes, the dimensions and pages
/// from the header (limits checked before any pixel is decoded), then a cheap shrunken decode that fails on errors, so a
/// truncated or corrupt upload is refused instead of stored.
/// </summary>
public sealed class ImageInspector(FormatCapabilities capabilities)
{
    private const int VerificationWidth = 64;

    public Task<ImageAttributes> InspectAsync(string filePath, ImagingLimits limits, CancellationToken cancellationToken) =>
        InspectAsync(filePath, limits, null, cancellationToken);

    /// <param name="admit">
    /// Called with the estimated decode memory (<see cref="DecodeCostEstimator"/>) after the header passed the limits and
    /// before any pixel is decoded; the returned lease is held during the decode (memory-aware admission).
    /// </param>
    public async Task<ImageAttributes> InspectAsync(string filePath, ImagingLimits limits,
        Func<long, CancellationToken, Task<IDisposable>>? admit, CancellationToken cancellationToken)
    {
        var format = SourceLoader.Sniff(filePath);
        if (!capabilities.CanRead(format))
            throw format.Loader is null
                ? new UnsupportedImageException($"This server cannot decode {format.MimeType}.")
                : new MissingDecoderException(capabilities.MissingDecoder(format));

        cancellationToken.ThrowIfCancellationRequested();
        // The header once (reading it decodes no scan); the scan count, the limits and the memory estimate all come from it.
        var header = await Task.Run(() => SourceHeader.Read(filePath, format), cancellationToken);
        if (header.NeedsScanCheck) await Task.Run(() => SourceLoader.CheckScans(filePath, format, limits.MaxJpegScans), cancellationToken);
        var attributes = Check(header, limits);
        using (admit is null ? null : await admit(DecodeCostEstimator.Estimate(header), cancellationToken))
            await Task.Run(() => VerifyPixels(filePath, format, attributes.PageCount, cancellationToken), cancellationToken);
        return attributes;
    }

    private static ImageAttributes Check(SourceHeader header, ImagingLimits limits)
    {
        // Pages as libvips reports them (1 for a still image), the stored (not the displayed) size and the EXIF orientation.
        var attributes = new ImageAttributes(header.Width, header.Height, header.Format, header.Pages, header.Loop, header.ColorSpace,
            header.Orientation);
        var pixels = (long)attributes.Width * attributes.Height * attributes.PageCount;
        if (pixels > limits.MaxSourcePixels)
            throw new ImageTooLargeException(
                $"The image has {attributes.Width}×{attributes.Height}×{attributes.PageCount} = {pixels} pixels; the limit is {limits.MaxSourcePixels}.");
        if (attributes.PageCount > limits.MaxAnimationFrames)
            throw new ImageTooLargeException($"The image has {attributes.PageCount} frames; the limit is {limits.MaxAnimationFrames}.");
        return attributes;
    }

    private static void VerifyPixels(string path, ImageFormat format, int pages, CancellationToken token)
    {
        try
        {
            using var thumbnail = SourceLoader.Thumbnail(path, format, allPages: pages > 1, VerificationWidth, failOn: Enums.FailOn.Error);
            thumbnail.SetProgress(new Progress<int>(), token); // job-timeout kills the decode inside libvips
            thumbnail.Avg(); // forces the decode of every (shrunken) pixel
            token.ThrowIfCancellationRequested();
        }
        catch (VipsException) when (token.IsCancellationRequested)
        {
            throw new OperationCanceledException(token);
        }
        catch (VipsException e)
        {
            throw new CorruptImageException($"The {format.Name} image is truncated or corrupt.", e);
        }
    }

    /// <summary>libvips interpretations as short names: srgb (sRGB, RGB, 16-bit and scRGB), grayscale (b-w, grey16), cmyk, lab, …</summary>
    public static string ColorSpaceName(Enums.Interpretation interpretation) => interpretation switch
    {
        Enums.Interpretation.Srgb or Enums.Interpretation.Rgb or Enums.Interpretation.Rgb16 or Enums.Interpretation.Scrgb => "srgb",
        Enums.Interpretation.Bw or Enums.Interpretation.Grey16 => "grayscale",
        Enums.Interpretation.Cmyk => "cmyk",
        Enums.Interpretation.Lab or Enums.Interpretation.Labq or Enums.Interpretation.Labs => "lab",
        var other => other.ToString().ToLowerInvariant(),
    };
}
