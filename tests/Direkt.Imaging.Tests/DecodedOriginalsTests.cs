using Direkt.Imaging.Rendering;
using Direkt.Imaging.Transformations;
using FluentAssertions;
using NetVips;
using Xunit;

namespace Direkt.Imaging.Tests;

/// <summary>
/// Decoded originals kept in memory (<see cref="DecodedOriginals"/>): a variant resized from a kept copy is byte for byte the
/// variant resized from the file; the next jobs of the original read no file; the bound, eviction and leases hold; jobs of one
/// original that start together decode it once.
/// </summary>
public sealed class DecodedOriginalsTests : IDisposable
{
    private readonly Samples _samples = new();
    private readonly VariantRenderer _fromFiles = new(FormatCapabilities.Detect());

    public void Dispose() => _samples.Dispose();

    private static Transformation T(int? w = null, int? h = null, FitMode fit = FitMode.Fit, Gravity gravity = Gravity.Center,
        string format = "jpg", int rotation = 0, int pad = 0, bool enlarge = false) =>
        new() { Width = w, Height = h, Fit = fit, Gravity = gravity, Format = format, Quality = 80, Rotation = rotation, Pad = pad, Enlarge = enlarge };

    // A photo-like JPEG (detail at every scale, so a different shrink would show), optionally with an EXIF orientation.
    private string Photo(int width, int height, int orientation = 1, string format = "jpg")
    {
        using var noise = Image.Gaussnoise(width, height, mean: 128, sigma: 40);
        using var gradient = Samples.Rgb(width, height);
        using var mixed = (gradient * 0.7 + noise * 0.3).Cast(Enums.BandFormat.Uchar);
        using var rgb = mixed.Bandjoin(noise.Cast(Enums.BandFormat.Uchar), gradient[1]).ExtractBand(0, n: 3).Copy(interpretation: Enums.Interpretation.Srgb);
        using var oriented = rgb.Mutate(m => m.Set(GValue.GIntType, "orientation", orientation));
        return _samples.Write(format == "png" ? oriented.PngsaveBuffer() : oriented.JpegsaveBuffer(q: 90), "photo");
    }

    private sealed class CountingSource(string path, string identity)
    {
        public int FilesMade;
        public OriginalSource Next() => new(identity, _ =>
        {
            Interlocked.Increment(ref FilesMade);
            return Task.FromResult(path);
        });
    }

    private static async Task<EncodedImage> Render(VariantRenderer renderer, OriginalSource source, Transformation t)
    {
        var plan = await renderer.PlanAsync(source, t, OutputLimits.Default, CancellationToken.None);
        return await renderer.RenderAsync(source, plan, CancellationToken.None);
    }

    public static TheoryData<string, int, Transformation> Jobs => new()
    {
        { "fit, no load shrink", 1, T(w: 700) },
        { "fit, load shrink 2", 1, T(w: 450) },
        { "fit, load shrink 4", 1, T(w: 200) },
        { "fit, load shrink 8", 1, T(w: 100) },
        { "fit box by height", 1, T(w: 900, h: 120) },
        { "no resize", 1, T() },
        { "crop centre", 1, T(w: 500, h: 200, fit: FitMode.Crop) },
        { "crop attention", 1, T(w: 300, h: 300, fit: FitMode.Crop, gravity: Gravity.Attention) },
        { "stretch", 1, T(w: 300, h: 500, fit: FitMode.Stretch) },
        { "enlarge", 1, T(w: 2400, enlarge: true) },
        { "steps after the resize, webp", 1, T(w: 640, format: "webp", rotation: 90, pad: 4) },
        { "orientation 6, fit", 6, T(h: 300) },
        { "orientation 6, crop", 6, T(w: 200, h: 400, fit: FitMode.Crop) },
        { "orientation 8, load shrink 4", 8, T(w: 150) },
    };

    [Theory]
    [MemberData(nameof(Jobs))]
    public async Task A_variant_from_a_kept_copy_is_the_variant_from_the_file(string name, int orientation, Transformation t)
    {
        var path = Photo(2000, 1300, orientation);
        var keeping = new VariantRenderer(FormatCapabilities.Detect(), new DecodedOriginals());
        var source = new CountingSource(path, "bucket\nphoto");

        var expected = (await Render(_fromFiles, OriginalSource.Of(path), t)).Bytes;
        var decoding = await Render(keeping, source.Next(), t);
        var fromMemory = await Render(keeping, source.Next(), t);

        decoding.Bytes.Should().Equal(expected, name);
        fromMemory.Bytes.Should().Equal(expected, name);
        source.FilesMade.Should().Be(1, "the second job plans and renders from the kept copy");
    }

    [Fact]
    public async Task A_png_is_kept_whole_and_gives_the_same_variant()
    {
        var path = Photo(900, 700, format: "png");
        var keeping = new VariantRenderer(FormatCapabilities.Detect(), new DecodedOriginals());
        var source = new CountingSource(path, "bucket\npng");

        var expected = (await Render(_fromFiles, OriginalSource.Of(path), T(w: 300, format: "png"))).Bytes;
        (await Render(keeping, source.Next(), T(w: 500, format: "png"))).Image.Width.Should().Be(500);
        (await Render(keeping, source.Next(), T(w: 300, format: "png"))).Bytes.Should().Equal(expected);
        source.FilesMade.Should().Be(1);
    }

    [Fact]
    public async Task A_job_needing_more_pixels_decodes_the_file_and_its_copy_replaces_the_smaller_one()
    {
        var path = Photo(2000, 1300);
        var decoded = new DecodedOriginals();
        var keeping = new VariantRenderer(FormatCapabilities.Detect(), decoded);
        var source = new CountingSource(path, "bucket\nphoto");

        await Render(keeping, source.Next(), T(w: 100));                  // kept at load shrink 8: 250 × 163
        var small = decoded.Bytes;
        var large = await Render(keeping, source.Next(), T(w: 700));      // needs shrink 1: from the file
        source.FilesMade.Should().Be(2);
        large.Bytes.Should().Equal((await Render(_fromFiles, OriginalSource.Of(path), T(w: 700))).Bytes);
        decoded.Bytes.Should().Be(2000L * 1300 * 3).And.BeGreaterThan(small);
        decoded.Count.Should().Be(1);

        // A smaller job now resizes the larger copy: not libvips' own load shrink, so not the same bytes, but the same canvas
        // and the same picture.
        var again = await Render(keeping, source.Next(), T(w: 100, format: "png"));
        source.FilesMade.Should().Be(2);
        var reference = await Render(_fromFiles, OriginalSource.Of(path), T(w: 100, format: "png"));
        (again.Image.Width, again.Image.Height).Should().Be((reference.Image.Width, reference.Image.Height));
        using var a = Image.NewFromBuffer(again.Bytes);
        using var b = Image.NewFromBuffer(reference.Bytes);
        using var difference = (a - b).Abs();
        difference.Avg().Should().BeLessThan(4, "the same photo, resized from more pixels");
        decoded.RendersFromMemory.Should().Be(1);
        decoded.RendersFromFile.Should().Be(2);
    }

    [Fact]
    public async Task Copies_beyond_the_bound_are_not_kept_and_the_least_recently_used_go_first()
    {
        // Each copy at full size is 3 000 000 bytes: the room holds four (a copy may take a quarter of it).
        var decoded = new DecodedOriginals(new DecodedOriginalsOptions { MaxBytes = 12_500_000, MaxObjectBytes = 3_200_000 });
        var keeping = new VariantRenderer(FormatCapabilities.Detect(), decoded);
        var sources = Enumerable.Range(0, 5).Select(i => new CountingSource(Photo(1000, 1000), $"photo-{i}")).ToArray();

        for (var i = 0; i < 4; i++) await Render(keeping, sources[i].Next(), T(w: 400));
        await Render(keeping, sources[0].Next(), T(w: 300)); // used again: 1 and 2 are now the least recently used
        decoded.Count.Should().Be(4);
        await Render(keeping, sources[4].Next(), T(w: 400)); // past the room: down to 90 % of it, the least recently used first
        decoded.Bytes.Should().Be(9_000_000);
        foreach (var source in sources) await Render(keeping, source.Next(), T(w: 200));
        sources.Select(s => s.FilesMade).Should().Equal(1, 2, 2, 1, 1);

        var tooLarge = new CountingSource(Photo(1200, 1000), "large"); // 3 600 000 bytes: more than max-object-size
        await Render(keeping, tooLarge.Next(), T(w: 500));
        await Render(keeping, tooLarge.Next(), T(w: 500));
        tooLarge.FilesMade.Should().Be(2);
        decoded.Bytes.Should().BeLessThanOrEqualTo(12_500_000);
    }

    [Fact]
    public async Task An_evicted_copy_stays_whole_while_a_job_holds_it_and_is_freed_after()
    {
        var decoded = new DecodedOriginals(new DecodedOriginalsOptions { MaxBytes = 12_500_000, MaxObjectBytes = 3_200_000 });
        var keeping = new VariantRenderer(FormatCapabilities.Detect(), decoded);
        await Render(keeping, new CountingSource(Photo(1000, 1000), "a").Next(), T(w: 400));
        var lease = decoded.Borrow("a", 1)!;
        for (var i = 0; i < 4; i++) await Render(keeping, new CountingSource(Photo(1000, 1000), $"other-{i}").Next(), T(w: 400));
        decoded.Borrow("a", 1).Should().BeNull("evicted");

        lease.Pixels.IsClosed.Should().BeFalse();
        using (var resized = lease.Pixels.ThumbnailImage(100))
            resized.Avg().Should().BeGreaterThan(0); // still readable
        lease.Dispose();
        lease.Pixels.IsClosed.Should().BeTrue("the last reference went with the lease");
    }

    [Fact]
    public async Task Jobs_of_one_original_that_start_together_decode_it_once()
    {
        var path = Photo(2000, 1300);
        var decoded = new DecodedOriginals();
        var keeping = new VariantRenderer(FormatCapabilities.Detect(), decoded);
        var made = 0;
        var gate = new TaskCompletionSource();
        OriginalSource Source() => new("bucket\nphoto", async _ =>
        {
            Interlocked.Increment(ref made);
            await gate.Task; // every job is planned and waiting before the first decode begins
            return path;
        });
        // Planned first (from the file, as none is kept yet), then rendered together.
        var sources = Enumerable.Range(0, 4).Select(_ => new OriginalSource("bucket\nphoto", _ => Task.FromResult(path))).ToArray();
        var plans = await Task.WhenAll(sources.Select((s, i) => keeping.PlanAsync(s, T(w: 600 + i * 20), OutputLimits.Default, CancellationToken.None)));
        var renders = plans.Select(plan => keeping.RenderAsync(Source(), plan, CancellationToken.None)).ToArray();
        gate.SetResult();
        var results = await Task.WhenAll(renders);

        made.Should().Be(1, "one job decodes; the others wait for its copy");
        results.Select(r => r.Image.Width).Should().Equal(600, 620, 640, 660);
        (decoded.RendersFromFile, decoded.RendersFromMemory).Should().Be((1, 3));
    }

    [Fact]
    public async Task A_corrupt_original_fails_every_job_and_nothing_is_kept()
    {
        var good = File.ReadAllBytes(Photo(800, 600));
        var path = _samples.Write(good[..(good.Length / 2)], "truncated");
        var decoded = new DecodedOriginals();
        var keeping = new VariantRenderer(FormatCapabilities.Detect(), decoded);

        var jobs = Enumerable.Range(0, 3).Select(_ => Render(keeping, new OriginalSource("bucket\ntruncated", _ => Task.FromResult(path)), T(w: 300)));
        foreach (var job in jobs.ToArray())
            await job.Invoking(async j => await j).Should().ThrowAsync<CorruptImageException>();
        decoded.Count.Should().Be(0);
        decoded.Bytes.Should().Be(0);
    }

    [Fact]
    public async Task Without_an_identity_or_with_no_room_nothing_is_kept()
    {
        var path = Photo(800, 600);
        var off = new DecodedOriginals(new DecodedOriginalsOptions { MaxBytes = 0 });
        var plan = await new VariantRenderer(FormatCapabilities.Detect(), off).PlanAsync(new OriginalSource("x", _ => Task.FromResult(path)),
            T(w: 300), OutputLimits.Default, CancellationToken.None);
        plan.DecodeShrink.Should().BeNull();

        var on = new DecodedOriginals();
        var keeping = new VariantRenderer(FormatCapabilities.Detect(), on);
        await Render(keeping, OriginalSource.Of(path), T(w: 300));
        on.Count.Should().Be(0);
        (on.RendersFromFile, on.RendersFromMemory).Should().Be((0, 0));
    }
}

/// <summary>`variant-generation.avif-effort` reaches the AVIF encoder and no other.</summary>
public sealed class EncodingSettingsTests : IDisposable
{
    private readonly Samples _samples = new();

    public void Dispose() => _samples.Dispose();

    [Fact]
    public async Task The_avif_effort_is_the_configured_one_and_other_formats_ignore_it()
    {
        using var noise = Image.Gaussnoise(320, 240, sigma: 30);
        using var gradient = Samples.Rgb(320, 240);
        using var photo = (gradient + noise).Cast(Enums.BandFormat.Uchar);
        var path = _samples.Write(photo.PngsaveBuffer(), "photo");
        async Task<byte[]> Encode(int effort, string format)
        {
            var renderer = new VariantRenderer(FormatCapabilities.Detect(), new DecodedOriginals(), new EncodingSettings(effort));
            var t = new Transformation { Format = format, Quality = 60 };
            var plan = await renderer.PlanAsync(path, t, OutputLimits.Default, CancellationToken.None);
            return (await renderer.RenderAsync(path, plan, CancellationToken.None)).Bytes;
        }

        var fastest = await Encode(0, "avif");
        var configured = await Encode(ImageFormat.AvifEffort, "avif");
        var again = await Encode(ImageFormat.AvifEffort, "avif");
        configured.Should().Equal(again);
        fastest.Should().NotEqual(configured, "effort 0 encodes differently");
        using (var image = Image.NewFromBuffer(fastest)) image.Width.Should().Be(320);
        (await Encode(0, "webp")).Should().Equal(await Encode(9, "webp"), "WebP keeps its own effort");
    }
}
