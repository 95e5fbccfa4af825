using Direkt.Imaging.Placeholders;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>LQIP: BlurHash and ThumbHash computed with each variant where the path asks for them (API.md §5).</summary>
public sealed class PlaceholderTests : IAsyncLifetime
{
    private DirektTestServer _server = null!;
    private readonly byte[] _jpeg = TestImages.Jpeg(320, 200);

    public async Task InitializeAsync() => _server = await DirektTestServer.StartAsync("""
        paths {
          "/lqip/**" { image.lqip = [blurhash, thumbhash] }
          "/blur/**" { image.lqip = [blurhash] }
        }
        """);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static PlaceholderHashes Expected(byte[] image)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, image);
            return PlaceholderComputer.Compute(file, blurhash: true, thumbhash: true);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Originals_and_variants_carry_placeholders_in_info_link_and_headers()
    {
        await _server.Client.PostAsync("/lqip/photo", _jpeg);
        var expected = Expected(_jpeg);

        var info = await (await _server.Client.GetAsync("/assets/lqip/photo/-/info")).JsonAsync();
        var link = await (await _server.Client.GetAsync("/assets/lqip/photo?w=80")).JsonAsync();
        var content = await _server.Client.GetAsync("/assets/lqip/photo/-/content");
        var variant = await _server.Client.GetAsync("/assets/lqip/photo/-/content?w=80&h=80&fit=crop&format=png");
        var variantBytes = await variant.Content.ReadAsByteArrayAsync();

        var lqip = info.GetProperty("variants")[0].GetProperty("lqip");
        lqip.GetProperty("blurhash").GetString().Should().Be(expected.Blurhash).And.HaveLength(28).And.StartWith("L");
        lqip.GetProperty("thumbhash").GetString().Should().Be(expected.Thumbhash);
        link.GetProperty("lqip").GetProperty("blurhash").GetString().Should().Be(expected.Blurhash);
        content.Headers.GetValues("Direkt-LQIP-Blurhash").Should().Equal(expected.Blurhash);
        content.Headers.GetValues("Direkt-LQIP-Thumbhash").Should().Equal(expected.Thumbhash);
        var fromVariant = Expected(variantBytes);
        variant.Headers.GetValues("Direkt-LQIP-Thumbhash").Should().Equal(new[] { fromVariant.Thumbhash }, "each variant has its own");
        fromVariant.Thumbhash.Should().NotBe(expected.Thumbhash, "a square crop of a 16:10 image has other placeholders");
        var generated = (await (await _server.Client.GetAsync("/assets/lqip/photo/-/info")).JsonAsync()).GetProperty("variants")[1];
        generated.GetProperty("lqip").GetProperty("blurhash").GetString().Should().Be(fromVariant.Blurhash);
    }

    [Fact]
    public async Task Only_the_listed_kinds_and_only_where_the_path_asks()
    {
        await _server.Client.PostAsync("/blur/photo", _jpeg);
        await _server.Client.PostAsync("/plain/photo", _jpeg);

        var blur = await _server.Client.GetAsync("/assets/blur/photo/-/content");
        var plain = await _server.Client.GetAsync("/assets/plain/photo/-/content");
        var plainInfo = await (await _server.Client.GetAsync("/assets/plain/photo/-/info")).JsonAsync();

        blur.Headers.Contains("Direkt-LQIP-Blurhash").Should().BeTrue();
        blur.Headers.Contains("Direkt-LQIP-Thumbhash").Should().BeFalse();
        plain.Headers.Contains("Direkt-LQIP-Blurhash").Should().BeFalse();
        plainInfo.GetProperty("variants")[0].TryGetProperty("lqip", out _).Should().BeFalse();
    }
}
