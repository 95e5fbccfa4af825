using System.Net;
using System.Text.Json;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

public sealed class StoreAndServeTests : IAsyncLifetime
{
    private DirektTestServer _server = null!;
    private HttpClient Client => _server.Client;

    public async Task InitializeAsync() => _server = await DirektTestServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Upload_answers_201_with_asset_information_and_an_absolute_location()
    {
        var jpeg = TestImages.Jpeg(400, 300);

        var response = await Client.PostAsync("/users/123/avatar", jpeg);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.Location!.ToString().Should().Be("http://direkt.test/assets/users/123/avatar/-/entry/0");
        var info = await response.JsonAsync();
        info.GetProperty("class").GetString().Should().Be("image");
        info.GetProperty("path").GetString().Should().Be("/users/123/avatar");
        info.GetProperty("entryId").GetInt64().Should().Be(0);
        info.GetProperty("source").GetString().Should().Be("upload");
        info.GetProperty("labels").EnumerateObject().Should().BeEmpty();
        info.GetProperty("tags").GetArrayLength().Should().Be(0);
        var original = info.GetProperty("variants").EnumerateArray().Should().ContainSingle().Subject;
        original.GetProperty("isOriginalVariant").GetBoolean().Should().BeTrue();
        original.GetProperty("storeBucket").GetString().Should().Be("assets");
        original.GetProperty("storeKey").GetString().Should().MatchRegex("^[0-9a-f]{16}/originals/[0-9a-f]{32}\\.jpg$", "the deployment id, then the kind");
        var attributes = original.GetProperty("attributes");
        attributes.GetProperty("width").GetInt32().Should().Be(400);
        attributes.GetProperty("height").GetInt32().Should().Be(300);
        attributes.GetProperty("format").GetString().Should().Be("jpg");
        attributes.GetProperty("pageCount").GetInt32().Should().Be(1);
        attributes.GetProperty("colorSpace").GetString().Should().Be("srgb");
        attributes.GetProperty("bytes").GetInt64().Should().Be(jpeg.Length);
        DateTimeOffset.Parse(info.GetProperty("createdAt").GetString()!).Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        info.GetProperty("createdAt").GetString().Should().EndWith("Z");
    }

    [Fact]
    public async Task Entry_ids_count_from_zero_per_path()
    {
        (await (await Client.PostAsync("/p/one", TestImages.Png(10, 10))).JsonAsync()).GetProperty("entryId").GetInt64().Should().Be(0);
        (await (await Client.PostAsync("/p/one", TestImages.Png(11, 10))).JsonAsync()).GetProperty("entryId").GetInt64().Should().Be(1);
        (await (await Client.PostAsync("/p/two", TestImages.Png(12, 10))).JsonAsync()).GetProperty("entryId").GetInt64().Should().Be(0);
        (await (await Client.PostAsync("/p/one", TestImages.Png(13, 10))).JsonAsync()).GetProperty("entryId").GetInt64().Should().Be(2);
    }

    [Fact]
    public async Task Content_returns_the_exact_bytes_with_their_type()
    {
        var jpeg = TestImages.Jpeg(64, 48);
        await Client.PostAsync("/a/photo", jpeg);

        var response = await Client.GetAsync("/assets/a/photo/-/content");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        response.Content.Headers.ContentLength.Should().Be(jpeg.Length);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(jpeg);
    }

    [Theory]
    [InlineData("png", "image/png")]
    [InlineData("webp", "image/webp")]
    [InlineData("gif", "image/gif")]
    public async Task Every_format_is_detected_from_its_bytes(string format, string mediaType)
    {
        var bytes = format switch
        {
            "png" => TestImages.Png(30, 20, alpha: true),
            "webp" => TestImages.Webp(30, 20),
            _ => TestImages.AnimatedGif(30, 20, frames: 3),
        };

        var stored = await (await Client.PostAsync($"/formats/{format}", bytes)).JsonAsync();
        var content = await Client.GetAsync($"/assets/formats/{format}/-/content");

        var attributes = stored.GetProperty("variants")[0].GetProperty("attributes");
        attributes.GetProperty("format").GetString().Should().Be(format);
        attributes.GetProperty("width").GetInt32().Should().Be(30);
        attributes.GetProperty("height").GetInt32().Should().Be(20);
        attributes.GetProperty("pageCount").GetInt32().Should().Be(format == "gif" ? 3 : 1);
        content.Content.Headers.ContentType!.MediaType.Should().Be(mediaType);
        (await content.Content.ReadAsByteArrayAsync()).Should().Equal(bytes);
    }

    [Fact]
    public async Task Link_is_the_absolute_content_url_of_the_newest_entry()
    {
        await Client.PostAsync("/l/x", TestImages.Png(5, 5), """{"alt":"first"}""");
        await Client.PostAsync("/l/x", TestImages.Png(6, 6), """{"alt":"second"}""");

        var bare = await (await Client.GetAsync("/assets/l/x")).JsonAsync();
        var explicitLink = await (await Client.GetAsync("/assets/l/x/-/new/link")).JsonAsync();
        var entryLink = await (await Client.GetAsync("/assets/l/x/-/entry/0/link")).JsonAsync();

        bare.GetProperty("url").GetString().Should().Be("http://direkt.test/assets/l/x/-/entry/1/content");
        bare.GetProperty("alt").GetString().Should().Be("second");
        explicitLink.GetRawText().Should().Be(bare.GetRawText());
        entryLink.GetProperty("url").GetString().Should().Be("http://direkt.test/assets/l/x/-/entry/0/content");
    }

    [Fact]
    public async Task Selectors_choose_between_entries()
    {
        var first = TestImages.Png(7, 7);
        var second = TestImages.Png(8, 8);
        await Client.PostAsync("/s/x", first);
        await Client.PostAsync("/s/x", second);

        (await Client.GetByteArrayAsync("/assets/s/x/-/entry/0/content")).Should().Equal(first);
        (await Client.GetByteArrayAsync("/assets/s/x/-/entry/1/content")).Should().Equal(second);
        (await Client.GetByteArrayAsync("/assets/s/x/-/new/content")).Should().Equal(second);
        (await Client.GetByteArrayAsync("/assets/s/x/-/modified/content")).Should().Equal(second);
        (await Client.GetByteArrayAsync("/assets/s/x/-/content")).Should().Equal(second);
    }

    [Fact]
    public async Task Info_returns_one_object_or_with_a_limit_an_array()
    {
        await Client.PostAsync("/i/x", TestImages.Png(3, 3));
        await Client.PostAsync("/i/x", TestImages.Png(4, 4));
        await Client.PostAsync("/i/x", TestImages.Png(5, 5));

        var one = await (await Client.GetAsync("/assets/i/x/-/info")).JsonAsync();
        var two = await (await Client.GetAsync("/assets/i/x/-/info?limit=2")).JsonAsync();
        var all = await (await Client.GetAsync("/assets/i/x/-/info?limit=-1")).JsonAsync();
        var entry = await (await Client.GetAsync("/assets/i/x/-/entry/0/info")).JsonAsync();

        one.ValueKind.Should().Be(JsonValueKind.Object);
        one.GetProperty("entryId").GetInt64().Should().Be(2);
        two.EnumerateArray().Select(e => e.GetProperty("entryId").GetInt64()).Should().Equal(2, 1);
        all.EnumerateArray().Select(e => e.GetProperty("entryId").GetInt64()).Should().Equal(2, 1, 0);
        entry.GetProperty("entryId").GetInt64().Should().Be(0);
        entry.GetProperty("variants")[0].GetProperty("attributes").GetProperty("width").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task Download_sets_an_attachment_file_name_from_the_last_segment()
    {
        var jpeg = TestImages.Jpeg(20, 20);
        await Client.PostAsync("/users/9/avatar", jpeg);

        var response = await Client.GetAsync("/assets/users/9/avatar/-/download");

        response.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        response.Content.Headers.ContentDisposition.FileNameStar.Should().Be("avatar.jpg");
        response.Content.Headers.GetValues("Content-Disposition").Single().Should().Contain("filename*=UTF-8''avatar.jpg");
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(jpeg);
    }

    [Fact]
    public async Task Redirect_with_strategy_none_serves_the_content()
    {
        var png = TestImages.Png(9, 9);
        await Client.PostAsync("/r/x", png);

        var response = await Client.GetAsync("/assets/r/x/-/redirect");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(png);
    }

    [Fact]
    public async Task Head_answers_the_headers_of_content_without_a_body()
    {
        var png = TestImages.Png(9, 9);
        await Client.PostAsync("/h/x", png);

        var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/assets/h/x/-/content"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        response.Content.Headers.ContentLength.Should().Be(png.Length);
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Metadata_is_stored_and_returned_and_labels_select_assets()
    {
        var android = TestImages.Png(10, 10);
        var ios = TestImages.Png(11, 11);
        var stored = await (await Client.PostAsync("/m/banner", android,
            """{"alt":"Läuft überall","labels":{"phone":"android","limit":"x"},"tags":["promo","2026"]}""")).JsonAsync();
        await Client.PostAsync("/m/banner", ios, """{"labels":{"phone":"ios"}}""");

        stored.GetProperty("alt").GetString().Should().Be("Läuft überall");
        stored.GetProperty("labels").GetProperty("phone").GetString().Should().Be("android");
        stored.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Should().Equal("promo", "2026");
        (await Client.GetByteArrayAsync("/assets/m/banner/-/content?phone=android")).Should().Equal(android);
        (await Client.GetByteArrayAsync("/assets/m/banner/-/content?phone=ios")).Should().Equal(ios);
        (await Client.GetByteArrayAsync("/assets/m/banner/-/content?label:limit=x")).Should().Equal(android);
        (await Client.GetAsync("/assets/m/banner/-/content?phone=windows")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var content = await Client.GetAsync("/assets/m/banner/-/entry/0/content");
        Uri.UnescapeDataString(content.Headers.GetValues("Direkt-Alt").Single()).Should().Be("Läuft überall");
    }

    [Fact]
    public async Task Metadata_may_come_before_the_asset_part()
    {
        var response = await Client.PostAsync("/assets/order/x", Uploads.Form(TestImages.Png(4, 4), """{"alt":"first"}""", metadataFirst: true));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        (await response.JsonAsync()).GetProperty("alt").GetString().Should().Be("first");
    }

    [Fact]
    public async Task Missing_assets_are_404_problems()
    {
        var none = await Client.GetAsync("/assets/nothing/here");
        await Client.PostAsync("/only/zero", TestImages.Png(4, 4));
        var noEntry = await Client.GetAsync("/assets/only/zero/-/entry/5/content");

        none.StatusCode.Should().Be(HttpStatusCode.NotFound);
        none.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await none.JsonAsync()).GetProperty("detail").GetString().Should().Contain("/nothing/here");
        noEntry.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await noEntry.JsonAsync()).GetProperty("detail").GetString().Should().Contain("entry id 5");
    }
}
