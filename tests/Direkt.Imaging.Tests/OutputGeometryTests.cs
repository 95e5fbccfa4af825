using Direkt.Imaging.Rendering;
using Direkt.Imaging.Transformations;
using NetVips;

namespace Direkt.Imaging.Tests;

/// <summary>
/// The canvas predicted from the header (<see cref="OutputGeometry"/>) is the canvas libvips then renders: every fit mode,
/// with and without enlarge, rotated, padded, oriented by EXIF and animated. The limits refuse before any pixel work.
/// </summary>
public sealed class OutputGeometryTests : IDisposable
{
    private readonly Samples _samples = new();
    private readonly VariantRenderer _renderer = new(FormatCapabilities.Detect());

    public void Dispose() => _samples.Dispose();

    private static Transformation T(int? w = null, int? h = null, FitMode fit = FitMode.Fit, bool enlarge = false, int rotation = 0,
        int pad = 0, string format = "png", Gravity gravity = Gravity.Center) =>
        new() { Width = w, Height = h, Fit = fit, Enlarge = enlarge, Rotation = rotation, Pad = pad, Format = format, Gravity = gravity,
            PadColor = pad > 0 ? new Rgba(255, 0, 0, 255) : null };

    public static TheoryData<string, Transformation, int, int> Cases => new()
    {
        { "no resize", T(), 320, 240 },
        { "fit w", T(w: 100), 100, 75 },
        { "fit h", T(h: 60), 80, 60 },
        { "fit box", T(w: 100, h: 100), 100, 75 },
        { "fit larger, no enlarge", T(w: 1000, h: 1000), 320, 240 },
        { "fit larger, enlarge", T(w: 1000, h: 1000, enlarge: true), 1000, 750 },
        { "fit w only, enlarge", T(w: 641, enlarge: true), 641, 481 },
        { "stretch", T(w: 50, h: 200, fit: FitMode.Stretch), 50, 200 },
        { "stretch larger, no enlarge", T(w: 640, h: 640, fit: FitMode.Stretch), 240, 240 },
        { "stretch larger, enlarge", T(w: 640, h: 700, fit: FitMode.Stretch, enlarge: true), 640, 700 },
        { "crop", T(w: 100, h: 100, fit: FitMode.Crop), 100, 100 },
        { "crop attention", T(w: 90, h: 30, fit: FitMode.Crop, gravity: Gravity.Attention), 90, 30 },
        { "crop larger, no enlarge", T(w: 400, h: 200, fit: FitMode.Crop), 320, 160 },
        { "crop larger, enlarge", T(w: 400, h: 500, fit: FitMode.Crop, enlarge: true), 400, 500 },
        { "rotate 90", T(w: 100, rotation: 90), 75, 100 },
        { "rotate 180", T(w: 100, rotation: 180), 100, 75 },
        { "rotate 270 + pad", T(w: 100, h: 50, fit: FitMode.Stretch, rotation: 270, pad: 7), 64, 114 },
        { "pad", T(w: 100, pad: 10), 120, 95 },
        { "enlarge + pad", T(w: 1000, h: 1000, fit: FitMode.Stretch, enlarge: true, pad: 100), 1200, 1200 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_predicted_canvas_is_the_rendered_canvas(string name, Transformation t, int width, int height)
    {
        using var image = Samples.Rgb(320, 240);
        var path = _samples.Write(image.PngsaveBuffer());

        var plan = await _renderer.PlanAsync(path, t, OutputLimits.Default, CancellationToken.None);
        var encoded = await _renderer.RenderAsync(path, plan, CancellationToken.None);

        plan.Output.Should().Be(new OutputGeometry(width, height, 1), name);
        using var rendered = Image.NewFromBuffer(encoded.Bytes);
        (rendered.Width, rendered.Height).Should().Be((width, height), name);
    }

    [Fact]
    public async Task Exif_orientation_swaps_the_sides_before_the_box_applies()
    {
        using var image = Samples.Rgb(300, 100);
        using var rotated = image.Mutate(m => m.Set(GValue.GIntType, "orientation", 6));
        var path = _samples.Write(rotated.JpegsaveBuffer(keep: Enums.ForeignKeep.All));

        var plan = await _renderer.PlanAsync(path, T(w: 50), OutputLimits.Default, CancellationToken.None);
        var encoded = await _renderer.RenderAsync(path, plan, CancellationToken.None);

        plan.Output.Should().Be(new OutputGeometry(50, 150, 1));
        using var rendered = Image.NewFromBuffer(encoded.Bytes);
        (rendered.Width, rendered.Height).Should().Be((50, 150));
    }

    [Fact]
    public async Task An_animation_counts_every_frame_and_pads_each()
    {
        var path = _samples.Write(Samples.AnimatedGif(40, 30, 4));

        var plan = await _renderer.PlanAsync(path, T(pad: 5, format: "gif"), OutputLimits.Default, CancellationToken.None);
        var encoded = await _renderer.RenderAsync(path, plan, CancellationToken.None);

        plan.Output.Should().Be(new OutputGeometry(50, 40, 4));
        plan.Output.Pixels.Should().Be(50 * 40 * 4);
        encoded.Image.Should().Match<RenderedImage>(r => r.Width == 50 && r.Height == 40 && r.PageCount == 4);
    }

    [Theory]
    [InlineData(4000, 4000, 1000, "no side may exceed 5000")] // 6000 × 6000 after padding
    [InlineData(4500, 4500, 0, "the limit is 16000000")]      // 20.25 MP
    public async Task The_limits_bound_the_final_canvas_before_any_pixel_is_decoded(int w, int h, int pad, string message)
    {
        using var image = Samples.Rgb(320, 240);
        var path = _samples.Write(image.PngsaveBuffer());

        var plan = () => _renderer.PlanAsync(path, T(w: w, h: h, fit: FitMode.Stretch, enlarge: true, pad: pad, format: "webp"),
            new OutputLimits(5000, 16_000_000), CancellationToken.None);

        (await plan.Should().ThrowAsync<OutputTooLargeException>()).Which.Message.Should().Contain(message);
    }

    [Fact]
    public async Task Frames_count_against_the_output_pixel_limit()
    {
        var path = _samples.Write(Samples.AnimatedGif(40, 30, 4));
        var limits = new OutputLimits(5000, 40 * 30 * 4 - 1);

        var gif = () => _renderer.PlanAsync(path, T(format: "gif"), limits, CancellationToken.None);
        var still = await _renderer.PlanAsync(path, T(format: "png"), limits, CancellationToken.None);

        await gif.Should().ThrowAsync<OutputTooLargeException>();
        still.Output.Should().Be(new OutputGeometry(40, 30, 1), "a PNG keeps the first frame only");
    }
}
