using System.Net;
using System.Net.Http.Headers;
using Direkt.Imaging;
using Direkt.Tests.Support;
using Direkt.Variants;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

/// <summary>On-demand variants through HTTP, checked on pixels and dimensions.</summary>
public sealed class VariantTests : IAsyncLifetime
{
    private DirektTestServer _server = null!;
    private HttpClient Client => _server.Client;
    private VariantCounters Counters => _server.Services.GetRequiredService<VariantCounters>();

    public async Task InitializeAsync() => _server = await DirektTestServer.StartAsync("""
        paths {
          "/profiles-only/**" { transform.on-demand-variant.mode = profile_only }
          "/no-variants/**" { transform.on-demand-variant.mode = disabled }
          "/modern/**" { transform.negotiate = [webp, avif] }
        }
        variant-profiles.hero { w = 120, h = 60, fit = crop, format = png }
        """);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<byte[]> Get(string url, string? accept = null)
    {
        var response = await Send(url, accept);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task<HttpResponseMessage> Send(string url, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        return await Client.SendAsync(request);
    }

    [Theory]
    [InlineData("w=200", 200, 150)]
    [InlineData("h=100", 133, 100)]
    [InlineData("w=200&h=200", 200, 150)]
    [InlineData("w=200&h=200&fit=fit", 200, 150)]
    [InlineData("w=100&h=100&fit=crop", 100, 100)]
    [InlineData("w=100&h=100&fit=crop&g=attention", 100, 100)]
    [InlineData("w=100&h=100&fit=crop&g=entropy", 100, 100)]
    [InlineData("w=100&h=50&fit=fill", 100, 50)]
    [InlineData("w=100&h=100&fit=stretch", 100, 100)]
    [InlineData("w=800", 400, 300)]
    [InlineData("w=800&enlarge=true", 800, 600)]
    [InlineData("w=800&h=800&fit=crop", 300, 300)]
    [InlineData("w=100&r=90", 75, 100)]
    [InlineData("w=100&pad=10", 120, 95)]
    public async Task Every_fit_mode_gives_the_expected_dimensions(string query, int width, int height)
    {
        await Client.PostAsync("/fit/photo", TestImages.Jpeg(400, 300));

        var bytes = await Get($"/assets/fit/photo/-/content?{query}&format=png");

        Pixels.Size(bytes).Should().Be((width, height));
    }

    [Fact]
    public async Task Exif_orientation_6_gives_a_portrait_result()
    {
        await Client.PostAsync("/exif/photo", Pixels.JpegWithOrientation6(60, 40));

        var bytes = await Get("/assets/exif/photo/-/content?w=20&format=png");

        Pixels.Size(bytes).Should().Be((20, 30));
    }

    [Fact]
    public async Task A_horizontal_flip_mirrors_the_image()
    {
        await Client.PostAsync("/flip/x", Pixels.RedLeftBlueRight(20, 10));

        var flipped = await Get("/assets/flip/x/-/content?f=h");
        var rotatedAndFlipped = await Get("/assets/flip/x/-/content?f=v&r=180");

        Pixels.At(flipped, 2, 5).Should().Equal(0, 0, 255);
        Pixels.At(flipped, 17, 5).Should().Equal(255, 0, 0);
        Pixels.At(rotatedAndFlipped, 2, 5).Should().Equal(0, 0, 255); // f=v&r=180 ≡ f=h
    }

    [Fact]
    public async Task Grayscale_gives_equal_channels()
    {
        await Client.PostAsync("/gray/x", TestImages.Png(40, 30));

        var bytes = await Get("/assets/gray/x/-/content?filter=grayscale");

        foreach (var (x, y) in new[] { (0, 0), (39, 0), (20, 15), (39, 29) })
        {
            var p = Pixels.At(bytes, x, y);
            p[0].Should().Be(p[1]).And.Be(p[2]);
        }
        Pixels.At(bytes, 39, 29)[0].Should().BeGreaterThan(Pixels.At(bytes, 0, 0)[0]); // still an image, not a flat fill
    }

    [Fact]
    public async Task Padding_adds_twice_the_pad_in_the_requested_colour()
    {
        await Client.PostAsync("/pad/x", TestImages.Png(40, 30));

        var bytes = await Get("/assets/pad/x/-/content?pad=10&pad-c=%2300ff00");

        Pixels.Size(bytes).Should().Be((60, 50));
        Pixels.At(bytes, 0, 0).Should().Equal(0, 255, 0);
        Pixels.At(bytes, 59, 49).Should().Equal(0, 255, 0);
    }

    [Theory]
    [InlineData("jpg", "image/jpeg")]
    [InlineData("png", "image/png")]
    [InlineData("webp", "image/webp")]
    [InlineData("avif", "image/avif")]
    [InlineData("gif", "image/gif")]
    [InlineData("tiff", "image/tiff")]
    public async Task Outputs_are_what_their_content_type_says(string format, string mediaType)
    {
        await Client.PostAsync("/formats/x", TestImages.Jpeg(64, 48));

        var response = await Send($"/assets/formats/x/-/content?w=32&format={format}");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        response.Content.Headers.ContentType!.MediaType.Should().Be(mediaType);
        ImageSniffer.Detect(bytes)!.MimeType.Should().Be(mediaType);
        Pixels.Size(bytes).Should().Be((32, 24));
    }

    [Fact]
    public async Task An_animated_gif_keeps_its_frames_when_the_output_can_animate()
    {
        await Client.PostAsync("/anim/x", TestImages.AnimatedGif(40, 20, frames: 3));

        var gif = await Get("/assets/anim/x/-/content?w=20");
        var webp = await Get("/assets/anim/x/-/content?w=20&format=webp");
        var flipped = await Get("/assets/anim/x/-/content?w=20&f=v&r=90");
        var png = await Get("/assets/anim/x/-/content?w=20&format=png");

        Pixels.Pages(gif).Should().Be(3);
        Pixels.Size(gif).Should().Be((20, 10));
        Pixels.Pages(webp).Should().Be(3);
        Pixels.Pages(flipped).Should().Be(3);
        Pixels.Size(flipped).Should().Be((10, 20)); // each frame rotated, not the whole strip
        Pixels.Pages(png).Should().Be(1);
        Pixels.Size(png).Should().Be((20, 10));
        var info = await (await Client.GetAsync("/assets/anim/x/-/info")).JsonAsync();
        info.GetProperty("variants").EnumerateArray().First(v => v.GetProperty("attributes").GetProperty("format").GetString() == "gif"
            && !v.GetProperty("isOriginalVariant").GetBoolean()).GetProperty("attributes").GetProperty("pageCount").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task A_variant_is_generated_once_then_served_from_the_store()
    {
        await Client.PostAsync("/cache/x", TestImages.Jpeg(200, 100));
        var before = Counters.Generated;

        var first = await Send("/assets/cache/x/-/content?w=50&format=webp");
        var second = await Send("/assets/cache/x/-/content?format=webp&w=50&q=80"); // same canonical transformation

        first.Headers.GetValues("Cache-Status").Single().Should().Be("direkt; fwd=miss; stored");
        second.Headers.GetValues("Cache-Status").Single().Should().Be("direkt; hit");
        (await second.Content.ReadAsByteArrayAsync()).Should().Equal(await first.Content.ReadAsByteArrayAsync());
        (Counters.Generated - before).Should().Be(1);

        var info = await (await Client.GetAsync("/assets/cache/x/-/info")).JsonAsync();
        var variant = info.GetProperty("variants")[1];
        variant.GetProperty("isOriginalVariant").GetBoolean().Should().BeFalse();
        variant.GetProperty("storeKey").GetString().Should().MatchRegex("^[0-9a-f]{16}/variants/[0-9a-f]{32}\\.webp$", "the deployment id, then the kind");
        var transformation = variant.GetProperty("transformation");
        transformation.GetProperty("w").GetString().Should().Be("50");
        transformation.GetProperty("format").GetString().Should().Be("webp");
        transformation.GetProperty("q").GetString().Should().Be("80");
        transformation.GetProperty("fit").GetString().Should().Be("fit");
        transformation.GetProperty("r").GetString().Should().Be("0");
        variant.GetProperty("attributes").GetProperty("width").GetInt32().Should().Be(50);
        variant.GetProperty("attributes").GetProperty("height").GetInt32().Should().Be(25);
    }

    [Fact]
    public async Task Accept_chooses_among_the_original_and_the_negotiate_list_and_always_varies()
    {
        await Client.PostAsync("/neg/x", TestImages.Jpeg(40, 30));

        var webp = await Send("/assets/neg/x/-/content", "image/avif,image/webp,image/*,*/*;q=0.8");
        var anything = await Send("/assets/neg/x/-/content", "*/*");
        var jpegPreferred = await Send("/assets/neg/x/-/content", "image/jpeg,image/webp;q=0.5");
        var none = await Send("/assets/neg/x/-/content");
        var explicitFormat = await Send("/assets/neg/x/-/content?format=png", "image/webp");
        var refused = await Send("/assets/neg/x/-/content", "text/html");

        webp.Content.Headers.ContentType!.MediaType.Should().Be("image/webp");
        ImageSniffer.Detect(await webp.Content.ReadAsByteArrayAsync()).Should().Be(ImageFormat.Webp);
        anything.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        jpegPreferred.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        none.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        foreach (var negotiated in new[] { webp, anything, jpegPreferred, none })
            negotiated.Headers.Vary.Should().Contain("Accept");
        explicitFormat.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        explicitFormat.Headers.Vary.Should().NotContain("Accept");
        refused.StatusCode.Should().Be(HttpStatusCode.NotAcceptable);
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Avif_is_offered_only_where_the_path_lists_it()
    {
        await Client.PostAsync("/neg/y", TestImages.Jpeg(40, 30));
        await Client.PostAsync("/modern/y", TestImages.Jpeg(40, 30));

        (await Send("/assets/neg/y/-/content", "image/avif,*/*;q=0.5")).Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        (await Send("/assets/neg/y/-/content", "image/avif")).StatusCode.Should().Be(HttpStatusCode.NotAcceptable);
        (await Send("/assets/modern/y/-/content", "image/avif")).Content.Headers.ContentType!.MediaType.Should().Be("image/avif");
        (await Send("/assets/modern/y/-/content", "image/avif,image/webp")).Content.Headers.ContentType!.MediaType.Should().Be("image/webp");
    }

    [Fact]
    public async Task Profiles_apply_and_explicit_parameters_override_them()
    {
        await Client.PostAsync("/prof/x", TestImages.Jpeg(400, 300));

        var thumbnail = await Send("/assets/prof/x/-/content?profile=thumbnail");
        var hero = await Get("/assets/prof/x/-/content?profile=hero");
        var narrowHero = await Get("/assets/prof/x/-/content?profile=hero&w=60");

        thumbnail.Content.Headers.ContentType!.MediaType.Should().Be("image/webp");
        Pixels.Size(await thumbnail.Content.ReadAsByteArrayAsync()).Should().Be((256, 256));
        Pixels.Size(hero).Should().Be((120, 60));
        Pixels.Size(narrowHero).Should().Be((60, 60));
    }

    [Fact]
    public async Task Path_modes_limit_what_may_be_asked()
    {
        await Client.PostAsync("/profiles-only/x", TestImages.Jpeg(400, 300));
        await Client.PostAsync("/no-variants/x", TestImages.Jpeg(400, 300));

        (await Send("/assets/profiles-only/x/-/content?w=100")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Send("/assets/profiles-only/x/-/content?profile=hero")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Send("/assets/no-variants/x/-/content?w=100")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var original = await Send("/assets/no-variants/x/-/content", "image/webp");
        original.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        original.Headers.Vary.Should().BeEmpty();
    }

    [Fact]
    public async Task A_link_carries_the_normalized_query_and_generates_nothing()
    {
        await Client.PostAsync("/link/x", TestImages.Jpeg(400, 300));
        var before = Counters.Generated;

        var link = await (await Client.GetAsync("/assets/link/x/-/link?fit=fill&h=50&w=100&format=jpeg")).JsonAsync();
        var negotiable = await (await Client.GetAsync("/assets/link/x?w=100&f=h&r=180")).JsonAsync();

        link.GetProperty("url").GetString().Should().Be("http://direkt.test/assets/link/x/-/entry/0/content?w=100&h=50&fit=crop&format=jpg&q=80");
        negotiable.GetProperty("url").GetString().Should().Be("http://direkt.test/assets/link/x/-/entry/0/content?w=100&f=v");
        Counters.Generated.Should().Be(before);
    }

    [Fact]
    public async Task Download_of_a_variant_names_the_file_with_the_variant_extension()
    {
        await Client.PostAsync("/dl/avatar", TestImages.Jpeg(40, 30));

        var response = await Send("/assets/dl/avatar/-/download?w=20&format=webp");

        response.Content.Headers.ContentDisposition!.FileNameStar.Should().Be("avatar.webp");
    }

    [Fact]
    public async Task Filters_colour_spaces_blur_and_strip_change_what_they_should()
    {
        await Client.PostAsync("/fx/x", Pixels.RedLeftBlueRight(40, 20));

        var sepia = Pixels.At(await Get("/assets/fx/x/-/content?filter=sepia&format=png"), 5, 10);
        var blackWhite = await Get("/assets/fx/x/-/content?filter=black_white&format=png");
        var blurred = Pixels.At(await Get("/assets/fx/x/-/content?blur=4&format=png"), 20, 10);
        using var gray = Pixels.Decode(await Get("/assets/fx/x/-/content?cs=grayscale&format=png"));
        using var p3 = Pixels.Decode(await Get("/assets/fx/x/-/content?cs=p3&format=png"));

        sepia[0].Should().BeGreaterThan(sepia[1]).And.BeGreaterThan(sepia[2] - 1); // warm tone: R > G >= B
        foreach (var x in new[] { 5, 35 })
        {
            var p = Pixels.At(blackWhite, x, 10);
            p[0].Should().BeOneOf(0, 255);
            p[0].Should().Be(p[1]).And.Be(p[2]);
        }
        blurred[0].Should().BeInRange(20, 235, "the red/blue edge is smoothed");
        gray.Bands.Should().Be(1);
        p3.GetTypeOf("icc-profile-data").Should().NotBe(IntPtr.Zero, "a P3 image carries its profile");
    }

    [Fact]
    public async Task Strip_removes_the_named_metadata()
    {
        using var source = NetVips.Image.Black(40, 30, bands: 3) + 90;
        using var tagged = source.Cast(NetVips.Enums.BandFormat.Uchar).Mutate(m => m.Set(NetVips.GValue.GStrType, "exif-ifd0-Artist", "Ada"));
        await Client.PostAsync("/strip/x", tagged.JpegsaveBuffer());

        using var kept = Pixels.Decode(await Get("/assets/strip/x/-/content?w=20&strip=none"));
        using var stripped = Pixels.Decode(await Get("/assets/strip/x/-/content?w=20&strip=exif"));
        using var lean = Pixels.Decode(await Get("/assets/strip/x/-/content?w=20"));

        kept.GetTypeOf("exif-data").Should().NotBe(IntPtr.Zero);
        stripped.GetTypeOf("exif-data").Should().Be(IntPtr.Zero);
        lean.GetTypeOf("exif-data").Should().Be(IntPtr.Zero, "variants carry no EXIF by default");
    }
}
