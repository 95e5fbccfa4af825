using System.Net;
using System.Net.Sockets;
using System.Text;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>Everything a client can get wrong is a problem+json answer with the right status, and nothing half-stored.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private DirektTestServer _server = null!;
    private HttpClient Client => _server.Client;

    public async Task InitializeAsync() => _server = await DirektTestServer.StartAsync("""
        source.multipart.max-bytes = 200KB
        paths { "/pngs-only/**" { allowed-content-types = [png] } }
        """);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task ShouldBeProblem(HttpResponseMessage response, HttpStatusCode status, string? detailContains = null)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.JsonAsync();
        problem.GetProperty("status").GetInt32().Should().Be((int)status);
        problem.GetProperty("type").GetString().Should().StartWith("urn:direkt:problem:");
        problem.GetProperty("title").GetString().Should().NotBeNullOrEmpty();
        var detail = problem.GetProperty("detail").GetString()!;
        if (detailContains is not null) detail.Should().Contain(detailContains);
        detail.Should().NotContain("   at ").And.NotContain("/tmp/").And.NotContain(_serverFolderMarker);
    }

    private const string _serverFolderMarker = "direkt-test-";

    private async Task NothingStored(string path)
    {
        (await Client.GetAsync("/assets" + path + "/-/info")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        _server.StoredFiles().Should().BeEmpty();
        _server.SpooledFiles().Should().BeEmpty();
    }

    [Theory]
    [InlineData("/assets/a%2Fb")]
    [InlineData("/assets/a%5Cb")]
    [InlineData("/assets/a%20b")]
    [InlineData("/assets/a%01b")]
    [InlineData("/assets/caf%C3%A9")]
    [InlineData("/assets/-/content")]
    [InlineData("/assets")]
    [InlineData("/assets/")]
    [InlineData("/assets/a//b")]
    public async Task Malformed_paths_are_400(string url)
    {
        await ShouldBeProblem(await Client.GetAsync(url), HttpStatusCode.BadRequest);
        await ShouldBeProblem(await Client.PostAsync(url, Uploads.Form(TestImages.Png(2, 2))), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Overlong_paths_are_400()
    {
        var longSegment = new string('a', 129);
        var manySegments = string.Join('/', Enumerable.Repeat("s", 33));

        await ShouldBeProblem(await Client.GetAsync($"/assets/{longSegment}"), HttpStatusCode.BadRequest, "128");
        await ShouldBeProblem(await Client.GetAsync($"/assets/{manySegments}"), HttpStatusCode.BadRequest, "32");
    }

    [Theory]
    [InlineData("/assets/a/-/bogus", "bogus")]
    [InlineData("/assets/a/-/entry/x/content", "not a non-negative whole number")]
    [InlineData("/assets/a/-/content/extra", "extra")]
    [InlineData("/assets/a/-/recursive", "DELETE")]
    [InlineData("/assets/a/-/info?w=100", "w")]
    [InlineData("/assets/a/-/content?w=0", "w")]
    [InlineData("/assets/a/-/content?w=99999999", "w")]
    [InlineData("/assets/a/-/content?blur=1e9", "blur")]
    [InlineData("/assets/a/-/content?q=-1", "q")]
    [InlineData("/assets/a/-/content?pad-c=javascript:alert(1)", "pad-c")]
    [InlineData("/assets/a/-/content?format=jxl", "cannot write jxl")]
    [InlineData("/assets/a/-/content?format=heic", "cannot write heic")]
    [InlineData("/assets/a/-/content?fit=crop&w=10", "needs both w and h")]
    [InlineData("/assets/a/-/content?profile=nope", "no such profile")]
    [InlineData("/assets/a/-/link?w=0", "w")]
    [InlineData("/assets/a/-/content?limit=2", "limit")]
    [InlineData("/assets/a/-/info?limit=0", "limit")]
    [InlineData("/assets/a/-/info?limit=abc", "limit")]
    [InlineData("/assets/a/-/content?phone=a&phone=b", "phone")]
    [InlineData("/assets/a/-/content?label:=x", "label:")]
    public async Task Malformed_selectors_and_parameters_are_400(string url, string mentioned)
    {
        var response = await Client.GetAsync(url);

        await ShouldBeProblem(response, HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain(mentioned);
    }

    [Theory]
    [InlineData(51)]
    [InlineData(1100)]
    public async Task More_than_fifty_label_filters_are_400_on_every_method(int count)
    {
        var query = string.Join('&', Enumerable.Range(0, count).Select(i => $"k{i}=v"));

        foreach (var request in new[] { $"/assets/a/-/info?{query}", $"/assets/a/-/content?{query}" })
        {
            var response = await Client.GetAsync(request);
            await ShouldBeProblem(response, HttpStatusCode.BadRequest);
            (await response.Content.ReadAsStringAsync()).Should().Contain("at most 50 label filters");
        }
        await ShouldBeProblem(await Client.DeleteAsync($"/assets/a?{query}"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Fifty_label_filters_are_a_query_like_any_other()
    {
        var query = string.Join('&', Enumerable.Range(0, 50).Select(i => $"k{i}=v"));

        await ShouldBeProblem(await Client.GetAsync($"/assets/a/-/info?{query}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/assets/a/-/content?phone=an%00droid")]
    [InlineData("/assets/a/-/info?ph%00one=android")]
    [InlineData("/assets/a/-/info?label:limit=%00")]
    public async Task A_NUL_in_a_label_filter_is_400(string url)
    {
        var response = await Client.GetAsync(url);

        await ShouldBeProblem(response, HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("control characters");
    }

    [Fact]
    public async Task Parameter_problems_list_errors_per_parameter()
    {
        var problem = await (await Client.GetAsync("/assets/a/-/info?w=1&limit=0")).JsonAsync();

        problem.GetProperty("errors").GetProperty("limit")[0].GetString().Should().Contain("-1");
    }

    [Fact]
    public async Task Selectors_on_POST_are_400()
    {
        await ShouldBeProblem(await Client.PostAsync("/assets/a/-/content", Uploads.Form(TestImages.Png(2, 2))), HttpStatusCode.BadRequest);
        await NothingStored("/a");
    }

    [Fact]
    public async Task Text_uploaded_as_an_image_is_415()
    {
        await ShouldBeProblem(await Client.PostAsync("/t/text", Encoding.UTF8.GetBytes("<html>hello, I am not an image</html>")),
            HttpStatusCode.UnsupportedMediaType);
        await NothingStored("/t/text");
    }

    [Fact]
    public async Task An_empty_upload_is_415()
    {
        await ShouldBeProblem(await Client.PostAsync("/t/empty", []), HttpStatusCode.UnsupportedMediaType, "empty");
        await NothingStored("/t/empty");
    }

    [Fact]
    public async Task A_truncated_image_is_422()
    {
        var jpeg = TestImages.Jpeg(300, 200);

        await ShouldBeProblem(await Client.PostAsync("/t/truncated", jpeg[..(jpeg.Length / 2)]), HttpStatusCode.UnprocessableEntity);
        await NothingStored("/t/truncated");
    }

    [Fact]
    public async Task A_jpeg_with_hundreds_of_scans_is_422_before_it_is_decoded()
    {
        var jpeg = Direkt.Imaging.Tests.ManyScanJpeg.Build(64, 48, refinementsPerBand: 7);

        var response = await Client.PostAsync("/t/scans", jpeg);

        await ShouldBeProblem(response, HttpStatusCode.UnprocessableEntity, "scans");
        (await response.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:too-many-scans");
        await NothingStored("/t/scans");
    }

    public static TheoryData<string, byte[]> NonImageLibvipsFormats()
    {
        var folder = Directory.CreateTempSubdirectory("direkt-vips-").FullName;
        var native = Path.Combine(folder, "native.v");
        using (var image = NetVips.Image.Black(4, 4)) image.WriteToFile(native);
        var vips = File.ReadAllBytes(native);
        Directory.Delete(folder, recursive: true);
        return new TheoryData<string, byte[]>
        {
            { "vips", vips },
            { "matrix", "2 2\n1 2\n3 4\n"u8.ToArray() },
            { "csv", "1,2\n3,4\n"u8.ToArray() },
            { "svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>"u8.ToArray() },
        };
    }

    [Theory]
    [MemberData(nameof(NonImageLibvipsFormats))]
    public async Task Formats_libvips_reads_but_Direkt_does_not_are_415(string kind, byte[] bytes)
    {
        await ShouldBeProblem(await Client.PostAsync("/t/" + kind, bytes), HttpStatusCode.UnsupportedMediaType);
        await NothingStored("/t/" + kind);
    }

    [Fact]
    public async Task An_oversize_upload_is_413_with_nothing_stored()
    {
        var big = new byte[300 * 1024];
        new Random(7).NextBytes(big);
        TestImages.Jpeg(8, 8).CopyTo(big, 0);

        var response = await Client.PostAsync("/t/big", big);
        await ShouldBeProblem(response, HttpStatusCode.RequestEntityTooLarge, "200000 bytes");
        (await response.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:upload-too-large");
        await NothingStored("/t/big");
    }

    [Fact]
    public async Task A_body_far_over_the_limit_is_refused_by_the_server_with_413()
    {
        var huge = new byte[3 * 1024 * 1024];

        var response = await Client.PostAsync("/assets/t/huge", Uploads.Form(huge));

        await ShouldBeProblem(response, HttpStatusCode.RequestEntityTooLarge);
        await NothingStored("/t/huge");
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"alt": 1}""")]
    [InlineData("""{"unknown": "x"}""")]
    public async Task Malformed_metadata_is_400_with_nothing_stored(string metadata)
    {
        await ShouldBeProblem(await Client.PostAsync("/t/meta", TestImages.Png(4, 4), metadata), HttpStatusCode.BadRequest, "metadata");
        await NothingStored("/t/meta");
    }

    [Fact]
    public async Task Metadata_over_its_limits_is_400_naming_the_field()
    {
        var response = await Client.PostAsync("/t/limits", TestImages.Png(4, 4), $$"""{"alt":"{{new string('a', 126)}}"}""");

        await ShouldBeProblem(response, HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").GetProperty("alt")[0].GetString().Should().Contain("125");
        await NothingStored("/t/limits");
    }

    [Fact]
    public async Task A_type_the_path_does_not_allow_is_415()
    {
        await ShouldBeProblem(await Client.PostAsync("/pngs-only/x", TestImages.Jpeg(8, 8)), HttpStatusCode.UnsupportedMediaType, "image/jpeg");
        (await Client.PostAsync("/pngs-only/x", TestImages.Png(8, 8))).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Uploads_that_are_not_multipart_or_lack_the_asset_part_are_refused()
    {
        await ShouldBeProblem(await Client.PostAsync("/assets/t/raw", new ByteArrayContent(TestImages.Png(2, 2))),
            HttpStatusCode.UnsupportedMediaType);
        // JSON is a URL source; with no allowed domains configured, every url is refused.
        await ShouldBeProblem(await Client.PostAsync("/assets/t/json", new StringContent("""{"url":"https://example.com/a.png"}""",
            Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "allowed-domains");

        var noAsset = new MultipartFormDataContent { { new StringContent("{}"), "metadata" } };
        await ShouldBeProblem(await Client.PostAsync("/assets/t/none", noAsset), HttpStatusCode.BadRequest, "asset");

        var extra = Uploads.Form(TestImages.Png(2, 2));
        extra.Add(new StringContent("x"), "surprise");
        await ShouldBeProblem(await Client.PostAsync("/assets/t/extra", extra), HttpStatusCode.BadRequest, "surprise");

        var twice = Uploads.Form(TestImages.Png(2, 2));
        twice.Add(new ByteArrayContent(TestImages.Png(3, 3)), "asset", "b.png");
        await ShouldBeProblem(await Client.PostAsync("/assets/t/twice", twice), HttpStatusCode.BadRequest, "more than once");

        foreach (var path in new[] { "/t/raw", "/t/json", "/t/none", "/t/extra", "/t/twice" }) await NothingStored(path);
    }

    [Fact]
    public async Task A_multipart_body_that_ends_early_is_400()
    {
        var body = "--b\r\nContent-Disposition: form-data; name=\"asset\"; filename=\"a.png\"\r\n\r\n" + "partial bytes without end";
        var content = new StringContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        await ShouldBeProblem(await Client.PostAsync("/assets/t/cut", content), HttpStatusCode.BadRequest);
        await NothingStored("/t/cut");
    }

    [Fact]
    public async Task Unknown_routes_and_methods_are_problems_too()
    {
        await ShouldBeProblem(await Client.GetAsync("/nope"), HttpStatusCode.NotFound);
        await ShouldBeProblem(await Client.PatchAsync("/assets/a", new StringContent("")), HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task A_raw_request_with_a_backslash_or_control_character_is_refused_before_any_store()
    {
        var address = Client.BaseAddress!;
        foreach (var target in new[] { "/assets/a\\b", "/assets/a%00b" })
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(address.Host, address.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            var answer = await new StreamReader(stream).ReadToEndAsync();
            answer.Should().StartWith("HTTP/1.1 400");
        }
    }
}
