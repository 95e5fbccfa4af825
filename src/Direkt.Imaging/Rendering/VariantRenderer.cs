using Direkt.Imaging.Transformations;
using NetVips;

namespace Direkt.Imaging.Rendering;

/// <summary>What a rendered variant is.</summary>
public sealed record RenderedImage(int Width, int Height, ImageFormat Format, int PageCount, int Loop, string ColorSpace);

/// <summary>
/// The libvips pipeline for one variant: an ordered list of small steps between a shrink-on-load resize and the encoder.
/// The token is checked between steps and, while pixels flow, kills the libvips evaluation.
/// </summary>
public sealed class VariantRenderer(FormatCapabilities capabilities)
{
    private static readonly IRenderStep[] Steps =
        [new RotateStep(), new FlipStep(), new FilterStep(), new BlurStep(), new ColourSpaceStep(), new PadStep()];

    public Task<RenderedImage> RenderAsync(string sourcePath, Transformation transformation, string outputPath, CancellationToken cancellationToken)
    {
        if (!ImageFormat.TryParse(transformation.Format, out var format) || !capabilities.CanWrite(format!))
            throw new UnsupportedImageException($"This server cannot write {transformation.Format}.");
        return Task.Run(() => Render(sourcePath, transformation, format!, outputPath, cancellationToken), cancellationToken);
    }

    private static RenderedImage Render(string sourcePath, Transformation t, ImageFormat format, string outputPath, CancellationToken token)
    {
        var source = Probe(sourcePath);
        // Only GIF and WebP pages are frames of an animation; TIFF or HEIF pages are separate pictures.
        var animate = source.Pages > 1 && format.SupportsAnimation && source.Format.SupportsAnimation;
        var context = new RenderContext(t, format, animate);

        var image = Decode(() => ResizeLoader.Load(sourcePath, source, t, animate), token);
        try
        {
            foreach (var step in Steps)
            {
                token.ThrowIfCancellationRequested();
                if (!step.Applies(context)) continue;
                var next = step.Apply(image, context);
                image.Dispose();
                image = next;
            }
            token.ThrowIfCancellationRequested();
            image.SetProgress(new Progress<int>(), token); // a cancelled token kills the evaluation inside libvips
            Decode(() => { Encoder.Save(image, outputPath, format, t); return 0; }, token);
            token.ThrowIfCancellationRequested();
            var pageHeight = Frames.PageHeight(image);
            return new RenderedImage(image.Width, pageHeight, format, animate ? image.Height / pageHeight : 1,
                animate && image.GetTypeOf("loop") != IntPtr.Zero && image.Get("loop") is int loop ? loop : 0,
                ImageInspector.ColorSpaceName(image.Interpretation));
        }
        finally
        {
            image.Dispose();
        }
    }

    private static SourceGeometry Probe(string path)
    {
        // Originals passed the same checks at upload; stored before a check existed, they meet it here.
        var format = SourceLoader.Sniff(path);
        SourceLoader.CheckScans(path, format, JpegScans.DefaultLimit);
        using var header = Decode(() => SourceLoader.Header(path, format), CancellationToken.None);
        var orientation = header.GetTypeOf("orientation") != IntPtr.Zero && header.Get("orientation") is int o ? o : 1;
        var pages = header.GetTypeOf("n-pages") != IntPtr.Zero && header.Get("n-pages") is int n ? n : 1;
        var swapped = orientation is >= 5 and <= 8;
        return new SourceGeometry(format, swapped ? header.Height : header.Width, swapped ? header.Width : header.Height, pages);
    }

    private static T Decode<T>(Func<T> action, CancellationToken token)
    {
        try
        {
            return action();
        }
        catch (VipsException) when (token.IsCancellationRequested)
        {
            throw new OperationCanceledException(token);
        }
        catch (VipsException e)
        {
            throw new CorruptImageException("The image could not be processed: it is truncated or corrupt.", e);
        }
    }
}
