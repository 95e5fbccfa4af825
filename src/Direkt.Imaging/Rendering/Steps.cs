using Direkt.Imaging.Transformations;
using NetVips;

namespace Direkt.Imaging.Rendering;

// The steps after load + resize, in the order of API.md §4: rotate → flip → filter → blur → colour space → pad.

internal sealed class RotateStep : IRenderStep
{
    public bool Applies(RenderContext c) => c.Transformation.Rotation != 0;

    public Image Apply(Image image, RenderContext c) => Frames.Map(image, c.Animated, frame => c.Transformation.Rotation switch
    {
        90 => frame.Rot90(),
        180 => frame.Rot180(),
        _ => frame.Rot270(),
    });
}

internal sealed class FlipStep : IRenderStep
{
    public bool Applies(RenderContext c) => c.Transformation.Flip != FlipMode.None;

    public Image Apply(Image image, RenderContext c) => Frames.Map(image, c.Animated, frame =>
        frame.Flip(c.Transformation.Flip == FlipMode.H ? Enums.Direction.Horizontal : Enums.Direction.Vertical));
}

internal sealed class FilterStep : IRenderStep
{
    private static readonly double[,] Sepia =
    {
        { 0.393, 0.769, 0.189 },
        { 0.349, 0.686, 0.168 },
        { 0.272, 0.534, 0.131 },
    };

    public bool Applies(RenderContext c) => c.Transformation.Filter != ImageFilter.None;

    public Image Apply(Image image, RenderContext c)
    {
        using var srgb = image.Colourspace(Enums.Interpretation.Srgb);
        var (colour, alpha) = Split(srgb);
        using (colour)
        using (alpha)
        {
            using var filtered = c.Transformation.Filter switch
            {
                ImageFilter.Grayscale => Gray(colour),
                ImageFilter.BlackWhite => BlackWhite(colour),
                _ => Sepiatone(colour),
            };
            return alpha is null ? filtered.Copy() : filtered.Bandjoin(alpha);
        }
    }

    // Grey in sRGB: R = G = B, so every output format shows it the same way.
    private static Image Gray(Image colour)
    {
        using var bw = colour.Colourspace(Enums.Interpretation.Bw);
        return bw.Colourspace(Enums.Interpretation.Srgb);
    }

    private static Image BlackWhite(Image colour)
    {
        using var bw = colour.Colourspace(Enums.Interpretation.Bw);
        using var threshold = (bw > 127).Cast(Enums.BandFormat.Uchar);
        using var single = threshold.Copy(interpretation: Enums.Interpretation.Bw);
        return single.Colourspace(Enums.Interpretation.Srgb);
    }

    private static Image Sepiatone(Image colour)
    {
        using var matrix = Image.NewFromArray(Sepia);
        using var toned = colour.Recomb(matrix);
        using var clipped = toned.Cast(Enums.BandFormat.Uchar);
        return clipped.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    public static (Image Colour, Image? Alpha) Split(Image image) => image.HasAlpha()
        ? (image.ExtractBand(0, n: image.Bands - 1), image.ExtractBand(image.Bands - 1))
        : (image.Copy(), null);
}

internal sealed class BlurStep : IRenderStep
{
    public bool Applies(RenderContext c) => c.Transformation.Blur > 0;

    public Image Apply(Image image, RenderContext c) => Frames.Map(image, c.Animated, frame => frame.Gaussblur(c.Transformation.Blur));
}

internal sealed class ColourSpaceStep : IRenderStep
{
    public bool Applies(RenderContext c) => c.Transformation.ColorSpace != ColorSpaceMode.Origin;

    public Image Apply(Image image, RenderContext c) => c.Transformation.ColorSpace switch
    {
        ColorSpaceMode.Grayscale => image.Colourspace(Enums.Interpretation.Bw),
        ColorSpaceMode.Srgb => ToProfile(image, "srgb"),
        _ => ToProfile(image, "p3"),
    };

    // With an embedded profile, convert through it; without one, assume sRGB (libvips' built-in profiles "srgb" and "p3").
    private static Image ToProfile(Image image, string profile)
    {
        using var srgb = image.Interpretation is Enums.Interpretation.Srgb or Enums.Interpretation.Rgb16 || image.GetTypeOf("icc-profile-data") != IntPtr.Zero
            ? image.Copy()
            : image.Colourspace(Enums.Interpretation.Srgb);
        return srgb.IccTransform(profile, embedded: true, inputProfile: "srgb");
    }
}

internal sealed class PadStep : IRenderStep
{
    public bool Applies(RenderContext c) => c.Transformation.Pad > 0;

    public Image Apply(Image image, RenderContext c)
    {
        var pad = c.Transformation.Pad;
        var colour = c.Transformation.PadColor ?? new Rgba(255, 255, 255, 255);
        return Frames.Map(image, c.Animated, frame =>
        {
            using var rgb = frame.Bands < 3 ? frame.Colourspace(Enums.Interpretation.Srgb) : frame.Copy();
            // A translucent padding needs an alpha band, where the output format has one.
            using var withAlpha = colour.A < 255 && c.Output.SupportsAlpha && !rgb.HasAlpha() ? rgb.Bandjoin(255) : rgb.Copy();
            return withAlpha.Embed(pad, pad, withAlpha.Width + 2 * pad, withAlpha.Height + 2 * pad,
                extend: Enums.Extend.Background, background: Background(withAlpha, colour));
        });
    }

    /// <summary>
    /// One value per band, as libvips requires: R, G, B, then the colour's alpha for every further band (the alpha of RGBA,
    /// the extra bands of a multiband image), scaled to the sample range (16-bit images count to 65535).
    /// </summary>
    public static double[] Background(Image image, Rgba colour)
    {
        var scale = image.Format is Enums.BandFormat.Ushort or Enums.BandFormat.Short ? 257.0 : 1.0;
        double[] rgba = [colour.R, colour.G, colour.B];
        return Enumerable.Range(0, image.Bands).Select(i => (i < 3 ? rgba[i] : colour.A) * scale).ToArray();
    }
}
