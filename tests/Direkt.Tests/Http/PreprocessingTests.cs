using System.Net;
using Direkt.Configuration.Loading;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>`transform.preprocessing`: uploads rewritten before they are stored; the result is the original variant.</summary>
public sealed class PreprocessingTests : IAsyncLifetime
{
    private DirektTestServer _server = null!;

    public async Task InitializeAsync() => _server = await DirektTestServer.StartAsync("""
        paths {
          "/pre/**" { transform.preprocessing { enabled = true, max-width = 200, max-height = 200, format = webp, q = 70 } }
          "/gray/**" { transform.preprocessing { enabled = true, filter = grayscale } }
        }
        """);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Large_uploads_are_bounded_and_re_encoded_before_they_are_stored()
    {
        var response = await _server.Client.PostAsync("/pre/big", TestImages.Jpeg(800, 400));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var attributes = (await response.JsonAsync()).GetProperty("variants")[0].GetProperty("attributes");
        (attributes.GetProperty("width").GetInt32(), attributes.GetProperty("height").GetInt32()).Should().Be((200, 100));
        attributes.GetProperty("format").GetString().Should().Be("webp");
        var content = await _server.Client.GetAsync("/assets/pre/big/-/content");
        content.Content.Headers.ContentType!.MediaType.Should().Be("image/webp");
        var bytes = await content.Content.ReadAsByteArrayAsync();
        Pixels.Size(bytes).Should().Be((200, 100));
        bytes.Length.Should().Be((int)attributes.GetProperty("bytes").GetInt64());
        _server.StoredFiles().Should().ContainSingle().Which.Should().EndWith(".webp", "only the rewritten image is stored");
    }

    [Fact]
    public async Task A_preprocessed_original_keeps_its_metadata_while_its_variants_drop_it()
    {
        await _server.Client.PostAsync("/gray/camera", CameraPhoto.Jpeg(320, 240));

        using var original = Pixels.Decode(await _server.Client.GetByteArrayAsync("/assets/gray/camera/-/content"));
        using var variant = Pixels.Decode(await _server.Client.GetByteArrayAsync("/assets/gray/camera/-/content?w=100"));

        original.GetTypeOf("exif-ifd3-GPSLatitude").Should().NotBe(IntPtr.Zero, "preprocessing without strip keeps metadata");
        original.GetTypeOf("xmp-data").Should().NotBe(IntPtr.Zero);
        variant.GetTypeOf("exif-data").Should().Be(IntPtr.Zero);
    }

    [Fact]
    public async Task Small_uploads_are_not_enlarged_but_still_follow_the_rule()
    {
        var response = await _server.Client.PostAsync("/pre/small", TestImages.Png(120, 60));

        var attributes = (await response.JsonAsync()).GetProperty("variants")[0].GetProperty("attributes");
        (attributes.GetProperty("width").GetInt32(), attributes.GetProperty("height").GetInt32()).Should().Be((120, 60));
        attributes.GetProperty("format").GetString().Should().Be("webp");
    }

    [Fact]
    public async Task Any_url_parameter_applies_and_the_format_is_kept_when_none_is_given()
    {
        var response = await _server.Client.PostAsync("/gray/photo", TestImages.Png(64, 64));

        var attributes = (await response.JsonAsync()).GetProperty("variants")[0].GetProperty("attributes");
        attributes.GetProperty("format").GetString().Should().Be("png");
        var pixel = Pixels.At(await _server.Client.GetByteArrayAsync("/assets/gray/photo/-/content"), 40, 20);
        (pixel[0] == pixel[1] && pixel[1] == pixel[2]).Should().BeTrue("grayscale was applied before storing");
    }

    [Fact]
    public async Task Other_paths_store_the_bytes_as_sent()
    {
        var jpeg = TestImages.Jpeg(800, 400);
        await _server.Client.PostAsync("/kept/photo", jpeg);

        (await _server.Client.GetByteArrayAsync("/assets/kept/photo/-/content")).Should().Equal(jpeg);
    }

    [Theory]
    [InlineData("""paths { "/**" { transform.preprocessing { enabled = true, w = wide } } }""", "transform.preprocessing.w")]
    [InlineData("""paths { "/**" { transform.preprocessing { enabled = true, format = jxl } } }""", "transform.preprocessing.format")]
    public async Task Invalid_rules_stop_the_start(string configuration, string key)
    {
        var act = () => DirektTestServer.StartAsync(configuration);

        (await act.Should().ThrowAsync<DirektConfigurationException>()).Which.Message.Should().Contain(key);
    }
}
