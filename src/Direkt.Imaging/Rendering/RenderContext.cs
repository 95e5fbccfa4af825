using Direkt.Imaging.Transformations;

namespace Direkt.Imaging.Rendering;

/// <summary>What every step may read: the requested transformation, the output format and the frame layout.</summary>
internal sealed record RenderContext(Transformation Transformation, ImageFormat Output, bool Animated);

/// <summary>One stage of the pipeline. It returns a new image and never disposes its input (the pipeline does).</summary>
internal interface IRenderStep
{
    /// <summary>False when the transformation asks nothing of this step.</summary>
    bool Applies(RenderContext context);

    NetVips.Image Apply(NetVips.Image image, RenderContext context);
}
