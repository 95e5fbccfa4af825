using Direkt.Imaging;
using Direkt.Imaging.Transformations;
namespace Direkt.Assets.Transformations;

/// <summary>
/// Reduces a parsed request to its one canonical <see cref="Transformation"/>: defaults filled, parameters without effect dropped,
/// equivalent forms reduced to one (rotation and flip compose to one of eight orientations, `fit=fill` is `crop` at the centre,
/// `q` only for lossy formats, `r=auto` is 0 because EXIF orientation is always applied on load, …).
/// </summary>
public static class TransformationNormalizer
{
    /// <param name="outputFormat">The format chosen for the output (explicit, negotiated or the original's).</param>
    public static Transformation Normalize(TransformationRequest request, string outputFormat)
    {
        var resizes = request.Width is not null || request.Height is not null;
        var fit = resizes ? request.Fit ?? FitMode.Fit : FitMode.Fit;
        var gravity = fit == FitMode.Crop ? request.Gravity ?? Gravity.Center : Gravity.Center;
        var (rotation, flip) = ReduceOrientation(request.Rotation ?? 0, request.Flip ?? FlipMode.None);
        var pad = request.Pad ?? 0;
        Rgba? padColor = pad == 0 ? null : request.PadColor ?? DefaultPadColor(outputFormat);

        return new Transformation
        {
            Width = request.Width,
            Height = request.Height,
            Fit = fit,
            Gravity = gravity,
            Format = outputFormat,
            // Only lossy formats have a quality; their default comes from the format (ImageFormat.DefaultQuality).
            Quality = Format(outputFormat)?.DefaultQuality is { } quality ? request.Quality ?? quality : null,
            Rotation = rotation,
            Flip = flip,
            Filter = request.Filter ?? ImageFilter.None,
            Blur = request.Blur ?? 0,
            Pad = pad,
            PadColor = padColor,
            Strip = request.Strip ?? StripMetadata.All,
            ColorSpace = request.ColorSpace ?? ColorSpaceMode.Origin,
            Enlarge = resizes && (request.Enlarge ?? false),
        };
    }

    public static Rgba DefaultPadColor(string format) =>
        Format(format)?.SupportsAlpha == true ? new Rgba(0, 0, 0, 0) : new Rgba(255, 255, 255, 255);

    private static ImageFormat? Format(string name) => ImageFormat.TryParse(name, out var format) ? format : null;

    // Rotation (clockwise) then flip are one of the eight symmetries of a rectangle. Each symmetry has one canonical
    // spelling: no rotation when a flip alone does it, no flip when a rotation alone does it, else 90/270 with a horizontal flip.
    private static readonly (int Rotation, FlipMode Flip)[] Canonical =
    [
        (0, FlipMode.None), (0, FlipMode.H), (0, FlipMode.V), (90, FlipMode.None), (180, FlipMode.None), (270, FlipMode.None),
        (90, FlipMode.H), (270, FlipMode.H),
    ];

    public static (int Rotation, FlipMode Flip) ReduceOrientation(int rotation, FlipMode flip)
    {
        var effect = Effect(rotation, flip);
        return Canonical.First(c => Effect(c.Rotation, c.Flip) == effect);
    }

    // Where the corners (0,0) and (1,0) of a unit square land: enough to tell the eight symmetries apart.
    private static ((int, int), (int, int)) Effect(int rotation, FlipMode flip) =>
        (Apply(0, 0, rotation, flip), Apply(1, 0, rotation, flip));

    private static (int X, int Y) Apply(int x, int y, int rotation, FlipMode flip)
    {
        // Coordinates centred at the square's middle, doubled to stay integral: (0,0) → (-1,-1), (1,0) → (1,-1).
        var (px, py) = (2 * x - 1, 2 * y - 1);
        for (var i = 0; i < rotation / 90; i++) (px, py) = (-py, px); // 90° clockwise with y pointing down
        return flip switch
        {
            FlipMode.H => (-px, py),
            FlipMode.V => (px, -py),
            _ => (px, py),
        };
    }
}
