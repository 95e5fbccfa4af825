using Direkt.Imaging.Transformations;
using NetVips;

namespace Direkt.Imaging.Rendering;

/// <summary>What a rendered variant is.</summary>
public sealed record RenderedImage(int Width, int Height, ImageFormat Format, int PageCount, int Loop, string ColorSpace);

/// <summary>A rendered variant and its encoded bytes, written by the encoder to memory (the store is written from these).</summary>
public sealed record EncodedImage(RenderedImage Image, byte[] Bytes);

/// <summary>
/// A job decided from the header alone: the source header (read once, passed along), the output format, whether it animates,
/// the final canvas and the whole job's memory estimate (<see cref="JobCostEstimator"/>).
/// </summary>
public sealed record RenderPlan(SourceHeader Source, Transformation Transformation, ImageFormat Format, bool Animated,
    OutputGeometry Output, long EstimatedBytes);

/// <summary>
/// The libvips pipeline for one variant: an ordered list of small steps between a shrink-on-load resize and the encoder.
/// The token is checked between steps and, while pixels flow, kills the libvips evaluation.
/// </summary>
public sealed class VariantRenderer(FormatCapabilities capabilities)
{
    private static readonly IRenderStep[] Steps =
        [new RotateStep(), new FlipStep(), new FilterStep(), new BlurStep(), new ColourSpaceStep(), new PadStep()];

    /// <summary>
    /// Reads the header once and decides the job: <see cref="OutputTooLargeException"/> when the canvas breaks the output
    /// limits, before any pixel work.
    /// </summary>
    public Task<RenderPlan> PlanAsync(string sourcePath, Transformation transformation, OutputLimits limits, CancellationToken cancellationToken)
    {
        if (!ImageFormat.TryParse(transformation.Format, out var format) || !capabilities.CanWrite(format!))
            throw new UnsupportedImageException($"This server cannot write {transformation.Format}.");
        return Task.Run(() =>
        {
            // Originals passed the same checks at upload; stored before a check existed, they meet it here.
            var header = SourceHeader.Read(sourcePath);
            if (header.NeedsScanCheck) SourceLoader.CheckScans(sourcePath, header.Format, JpegScans.DefaultLimit);
            // Only GIF and WebP pages are frames of an animation; TIFF or HEIF pages are separate pictures.
            var animate = header.Pages > 1 && format!.SupportsAnimation && header.Format.SupportsAnimation;
            var output = OutputGeometry.Of(header.Geometry, transformation, animate);
            output.Check(limits);
            return new RenderPlan(header, transformation, format!, animate, output,
                JobCostEstimator.Estimate(header, output, format!, transformation));
        }, cancellationToken);
    }

    /// <summary>Renders the plan; the encoder writes to memory.</summary>
    public Task<EncodedImage> RenderAsync(string sourcePath, RenderPlan plan, CancellationToken cancellationToken) =>
        Task.Run(() => Render(sourcePath, plan, cancellationToken), cancellationToken);

    private static EncodedImage Render(string sourcePath, RenderPlan plan, CancellationToken token)
    {
        var t = plan.Transformation;
        var context = new RenderContext(t, plan.Format, plan.Animated);

        var image = Decode(() => ResizeLoader.Load(sourcePath, plan.Source.Geometry, t, plan.Animated), token);
        try
        {
            foreach (var step in Steps)
            {
                token.ThrowIfCancellationRequested();
                if (!step.Applies(context)) continue;
                var next = Step(step, image, context, token);
                image.Dispose();
                image = next;
            }
            token.ThrowIfCancellationRequested();
            image.SetProgress(new Progress<int>(), token); // a cancelled token kills the evaluation inside libvips
            var bytes = Decode(() => Encoder.Save(image, plan.Format, t), token);
            token.ThrowIfCancellationRequested();
            var pageHeight = Frames.PageHeight(image);
            return new EncodedImage(new RenderedImage(image.Width, pageHeight, plan.Format, plan.Animated ? image.Height / pageHeight : 1,
                plan.Animated && image.GetTypeOf("loop") != IntPtr.Zero && image.Get("loop") is int loop ? loop : 0,
                ImageInspector.ColorSpaceName(image.Interpretation)), bytes);
        }
        finally
        {
            image.Dispose();
        }
    }

    // A step libvips refuses (an operation that does not take this image's bands or format) is the image's problem, not
    // the server's: 422, never 500.
    private static Image Step(IRenderStep step, Image image, RenderContext context, CancellationToken token)
    {
        try
        {
            return step.Apply(image, context);
        }
        catch (VipsException) when (token.IsCancellationRequested)
        {
            throw new OperationCanceledException(token);
        }
        catch (VipsException e)
        {
            throw new UnprocessableImageException($"This image cannot take the transformation ({step.GetType().Name.Replace("Step", "").ToLowerInvariant()}).", e);
        }
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
