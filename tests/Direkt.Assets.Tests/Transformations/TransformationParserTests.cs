using Direkt.Imaging.Transformations;
using Direkt.Assets.Transformations;

namespace Direkt.Assets.Tests.Transformations;

public sealed class TransformationParserTests
{
    private static TransformationRequest Parse(string query)
    {
        var request = TransformationParser.TryParse(Query(query), 8192, out var errors);
        errors.Should().BeEmpty();
        return request!;
    }

    private static IReadOnlyDictionary<string, string[]> Errors(string query)
    {
        TransformationParser.TryParse(Query(query), 8192, out var errors).Should().BeNull();
        return errors;
    }

    private static Dictionary<string, string> Query(string query) =>
        query.Length == 0 ? [] : query.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));

    private static string Key(string query, string format = "jpg") =>
        TransformationNormalizer.Normalize(Parse(query), format).Key;

    [Fact]
    public void Every_parameter_is_parsed()
    {
        var r = Parse("w=300&h=200&fit=crop&g=attention&format=jpeg&q=70&r=90&f=h&filter=sepia&blur=2.5&pad=10&pad-c=%23ff000080&strip=exif,xmp&cs=p3&enlarge=true");

        r.Width.Should().Be(300);
        r.Height.Should().Be(200);
        r.Fit.Should().Be(FitMode.Crop);
        r.Gravity.Should().Be(Gravity.Attention);
        r.Format.Should().Be("jpg");
        r.Quality.Should().Be(70);
        r.Rotation.Should().Be(90);
        r.Flip.Should().Be(FlipMode.H);
        r.Filter.Should().Be(ImageFilter.Sepia);
        r.Blur.Should().Be(2.5);
        r.Pad.Should().Be(10);
        r.PadColor.Should().Be(new Rgba(255, 0, 0, 128));
        r.Strip.Should().Be(StripMetadata.Exif | StripMetadata.Xmp);
        r.ColorSpace.Should().Be(ColorSpaceMode.P3);
        r.Enlarge.Should().BeTrue();
    }

    [Theory]
    [InlineData("w=0", "w")]
    [InlineData("w=8193", "w")]
    [InlineData("w=99999999", "w")]
    [InlineData("w=-5", "w")]
    [InlineData("w=1.5", "w")]
    [InlineData("h=abc", "h")]
    [InlineData("fit=cover", "fit")]
    [InlineData("fit=crop&w=10", "h")]
    [InlineData("fit=stretch&h=10", "w")]
    [InlineData("fit=fill", "w")]
    [InlineData("g=north", "g")]
    [InlineData("format=bmp", "format")]
    [InlineData("q=0", "q")]
    [InlineData("q=-1", "q")]
    [InlineData("q=101", "q")]
    [InlineData("r=45", "r")]
    [InlineData("f=x", "f")]
    [InlineData("filter=blur", "filter")]
    [InlineData("blur=1e9", "blur")]
    [InlineData("blur=151", "blur")]
    [InlineData("blur=-1", "blur")]
    [InlineData("blur=NaN", "blur")]
    [InlineData("pad=1001", "pad")]
    [InlineData("pad-c=javascript:alert(1)", "pad-c")]
    [InlineData("pad-c=%23fff", "pad-c")]
    [InlineData("pad-c=%23gg0000", "pad-c")]
    [InlineData("strip=exif,exif", "strip")]
    [InlineData("strip=icc", "strip")]
    [InlineData("cs=cmyk", "cs")]
    [InlineData("enlarge=yes", "enlarge")]
    [InlineData("fit=fill&w=1&h=1&g=entropy", "g")]
    [InlineData("width=10", "width")]
    public void Bad_values_are_errors_naming_the_parameter(string query, string parameter) =>
        Errors(query).Should().ContainKey(parameter);

    [Fact]
    public void All_problems_are_reported_together()
    {
        Errors("w=0&q=500&fit=nope").Keys.Should().BeEquivalentTo("w", "q", "fit");
    }

    [Theory]
    [InlineData("f=h&r=180", "f=v")]
    [InlineData("f=v&r=180", "f=h")]
    [InlineData("r=90&f=v", "r=270&f=h")]
    [InlineData("r=0&f=none", "")]
    [InlineData("r=auto", "")]
    [InlineData("fit=fill&w=10&h=20", "fit=crop&g=center&w=10&h=20")]
    [InlineData("blur=0", "")]
    [InlineData("pad-c=%23ff0000", "")]
    [InlineData("pad=0&pad-c=%23ff0000", "")]
    [InlineData("q=80", "")]
    [InlineData("format=jpeg", "format=jpg")]
    [InlineData("w=10&fit=fit", "w=10")]
    [InlineData("w=10&g=attention", "w=10")]
    [InlineData("enlarge=false&w=5", "w=5")]
    [InlineData("enlarge=true", "")]
    [InlineData("strip=xmp,exif", "strip=exif,xmp")]
    [InlineData("filter=none&cs=origin", "")]
    public void Equivalent_requests_normalize_to_the_same_key(string a, string b) =>
        Key(a).Should().Be(Key(b));

    [Theory]
    [InlineData("w=10", "w=11")]
    [InlineData("w=10", "h=10")]
    [InlineData("w=10&h=10", "w=10&h=10&fit=crop")]
    [InlineData("w=10&h=10&fit=crop", "w=10&h=10&fit=stretch")]
    [InlineData("w=10&h=10&fit=crop&g=entropy", "w=10&h=10&fit=crop&g=attention")]
    [InlineData("r=90", "r=270")]
    [InlineData("f=h", "f=v")]
    [InlineData("r=90&f=h", "r=90")]
    [InlineData("q=80", "q=81")]
    [InlineData("filter=grayscale", "filter=sepia")]
    [InlineData("blur=1", "blur=1.5")]
    [InlineData("pad=1", "pad=2")]
    [InlineData("pad=1&pad-c=%23000000", "pad=1&pad-c=%23ffffff")]
    [InlineData("strip=exif", "strip=xmp")]
    [InlineData("cs=srgb", "cs=p3")]
    [InlineData("w=5000&enlarge=true", "w=5000")]
    public void Different_outputs_have_different_keys(string a, string b) =>
        Key(a).Should().NotBe(Key(b));

    [Fact]
    public void All_eight_orientations_have_distinct_canonical_forms_and_every_spelling_reduces_to_one_of_them()
    {
        var spellings = from r in new[] { 0, 90, 180, 270 }
                        from f in new[] { FlipMode.None, FlipMode.H, FlipMode.V }
                        select TransformationNormalizer.ReduceOrientation(r, f);

        spellings.Distinct().Should().HaveCount(8);
    }

    [Fact]
    public void Quality_is_filled_for_lossy_formats_and_dropped_for_lossless_ones()
    {
        TransformationNormalizer.Normalize(Parse("q=50"), "png").Quality.Should().BeNull();
        TransformationNormalizer.Normalize(Parse("q=50"), "gif").Quality.Should().BeNull();
        TransformationNormalizer.Normalize(Parse(""), "jpg").Quality.Should().Be(80);
        TransformationNormalizer.Normalize(Parse(""), "webp").Quality.Should().Be(80);
        TransformationNormalizer.Normalize(Parse(""), "avif").Quality.Should().Be(50);
        TransformationNormalizer.Normalize(Parse("q=33"), "avif").Quality.Should().Be(33);
    }

    [Fact]
    public void Padding_gets_a_colour_the_format_can_show()
    {
        TransformationNormalizer.Normalize(Parse("pad=4"), "png").PadColor.Should().Be(new Rgba(0, 0, 0, 0));
        TransformationNormalizer.Normalize(Parse("pad=4"), "jpg").PadColor.Should().Be(new Rgba(255, 255, 255, 255));
    }

    [Fact]
    public void The_key_is_stable_and_the_explicit_form_names_every_field()
    {
        var t = TransformationNormalizer.Normalize(Parse("h=200&w=300&format=webp&fit=fill"), "webp");

        t.Key.Should().Be("w=300&h=200&fit=crop&format=webp&q=80");
        t.Explicit.Keys.Should().BeEquivalentTo("w", "h", "fit", "g", "format", "q", "r", "f", "filter", "blur", "pad", "strip", "cs", "enlarge");
    }
}
