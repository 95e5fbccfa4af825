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
    OutputGeometry Output, long EstimatedBytes)
{
    /// <summary>The shrink a decoded copy kept in memory needs for this job (<see cref="DecodedOriginals"/>); null: never uses one.</summary>
    public int? DecodeShrink { get; init; }
}

/// <summary>
/// The libvips pipeline for one variant: an ordered list of small steps between a shrink-on-load resize and the encoder.
/// The token is checked between steps and, while pixels flow, kills the libvips evaluation. An original with an identity is
/// resized from its decoded copy in memory when one is kept (<see cref="DecodedOriginals"/>), and kept after it is decoded.
/// </summary>
public sealed class VariantRenderer(FormatCapabilities capabilities, DecodedOriginals decoded, EncodingSettings encoding)
{
    private static readonly IRenderStep[] Steps =
        [new RotateStep(), new FlipStep(), new FilterStep(), new BlurStep(), new ColourSpaceStep(), new PadStep()];

    public VariantRenderer(FormatCapabilities capabilities) : this(capabilities, new DecodedOriginals(new DecodedOriginalsOptions { MaxBytes = 0 })) { }

    public VariantRenderer(FormatCapabilities capabilities, DecodedOriginals decoded) : this(capabilities, decoded, EncodingSettings.Default) { }

    /// <inheritdoc cref="PlanAsync(OriginalSource, Transformation, OutputLimits, CancellationToken)"/>
    public Task<RenderPlan> PlanAsync(string sourcePath, Transformation transformation, OutputLimits limits, CancellationToken cancellationToken) =>
        PlanAsync(OriginalSource.Of(sourcePath), transformation, limits, cancellationToken);

    /// <summary>
    /// Reads the header once (or takes it from a kept copy, without the file) and decides the job:
    /// <see cref="OutputTooLargeException"/> when the canvas breaks the output limits, before any pixel work.
    /// </summary>
    public async Task<RenderPlan> PlanAsync(OriginalSource source, Transformation transformation, OutputLimits limits, CancellationToken cancellationToken)
    {
        if (!ImageFormat.TryParse(transformation.Format, out var format) || !capabilities.CanWrite(format!))
            throw new UnsupportedImageException($"This server cannot write {transformation.Format}.");
        var kept = source.Identity is { } identity ? decoded.Header(identity) : null;
        var path = kept is null ? await source.FileAsync(cancellationToken) : null;
        return await Task.Run(() =>
        {
            var header = kept ?? SourceHeader.Read(path!);
            // Originals passed the same checks at upload; stored before a check existed, they meet it here (a kept copy did).
            if (kept is null && header.NeedsScanCheck) SourceLoader.CheckScans(path!, header.Format, JpegScans.DefaultLimit);
            // Only GIF and WebP pages are frames of an animation; TIFF or HEIF pages are separate pictures.
            var animate = header.Pages > 1 && format!.SupportsAnimation && header.Format.SupportsAnimation;
            var output = OutputGeometry.Of(header.Geometry, transformation, animate);
            output.Check(limits);
            var estimate = JobCostEstimator.Estimate(header, output, format!, transformation);
            int? shrink = null;
            if (source.Identity is not null && !animate && header.Format.DecodeShrinks is not null)
            {
                var s = ResizeLoader.LoadShrink(header.Geometry, transformation);
                var bytes = DecodedBytes(header, s);
                if (decoded.Keeps(bytes)) (shrink, estimate) = (s, estimate + bytes); // the copy is held whole
            }
            return new RenderPlan(header, transformation, format!, animate, output, estimate) { DecodeShrink = shrink };
        }, cancellationToken);
    }

    /// <inheritdoc cref="RenderAsync(OriginalSource, RenderPlan, CancellationToken)"/>
    public Task<EncodedImage> RenderAsync(string sourcePath, RenderPlan plan, CancellationToken cancellationToken) =>
        RenderAsync(OriginalSource.Of(sourcePath), plan, cancellationToken);

    /// <summary>
    /// Renders the plan; the encoder writes to memory. A job that can use a decoded copy takes a kept one, waits for one that
    /// another job of the same original is decoding, or decodes the file and keeps its copy.
    /// </summary>
    public async Task<EncodedImage> RenderAsync(OriginalSource source, RenderPlan plan, CancellationToken cancellationToken)
    {
        if (plan.DecodeShrink is not { } shrink || source.Identity is not { } identity)
        {
            var file = await source.FileAsync(cancellationToken);
            return await Task.Run(() => Render(() => ResizeLoader.Load(file, plan.Source.Geometry, plan.Transformation, plan.Animated),
                plan, cancellationToken), cancellationToken);
        }

        var lease = decoded.Borrow(identity, shrink);
        var decoding = false;
        if (lease is null)
        {
            decoding = decoded.TryBeginDecode(identity, out var running);
            if (!decoding)
            {
                await running.WaitAsync(cancellationToken);
                lease = decoded.Borrow(identity, shrink);
            }
        }
        try
        {
            decoded.Counted(fromMemory: lease is not null);
            if (lease is not null)
                return await Task.Run(() => Render(() => ResizeLoader.Resize(lease.Pixels, plan.Source.Geometry, plan.Transformation),
                    plan, cancellationToken), cancellationToken);

            var path = await source.FileAsync(cancellationToken);
            return await Task.Run(() => Render(() =>
            {
                using var loaded = SourceLoader.Decode(path, plan.Source.Format, shrink);
                lease = decoded.Add(identity, plan.Source, loaded.CopyMemory(), shrink);
                if (decoding) decoded.EndDecode(identity); // the jobs waiting for this copy go on while this one encodes
                decoding = false;
                return ResizeLoader.Resize(lease.Pixels, plan.Source.Geometry, plan.Transformation);
            }, plan, cancellationToken), cancellationToken);
        }
        finally
        {
            lease?.Dispose();
            if (decoding) decoded.EndDecode(identity);
        }
    }

    /// <summary>The bytes of an original's first page decoded at <paramref name="shrink"/> (libjpeg rounds the sides up).</summary>
    private static long DecodedBytes(SourceHeader h, int shrink) =>
        (long)((h.Width + shrink - 1) / shrink) * ((h.Height + shrink - 1) / shrink) * h.Bands * h.SampleBytes;

    private EncodedImage Render(Func<Image> resize, RenderPlan plan, CancellationToken token)
    {
        var t = plan.Transformation;
        var context = new RenderContext(t, plan.Format, plan.Animated);

        var image = Decode(resize, token);
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
            var bytes = Decode(() => Encoder.Save(image, plan.Format, t, encoding), token);
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
