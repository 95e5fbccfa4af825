using System.Collections.Concurrent;
using System.Text.Json;
using Direkt.Browser.Tests.Support;
using Direkt.Client;
using Direkt.Tests.Support;
using Microsoft.Playwright;

namespace Direkt.Browser.Tests.CrossOrigin;

/// <summary>
/// A page on another origin uses the built JS client in headless chromium: uploads with a token (progress events), reads
/// info, decodes the placeholder and shows a &lt;picture&gt; whose format and width the browser chooses. The assertions are
/// on what the browser actually requested and received.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CrossOriginClientTests(BrowserFixture browser)
{
    private const string TokenKey = "browser-upload-token-secret-0123456789abcdef";
    private static readonly int[] Widths = [150, 300, 600, 900, 1200];

    private sealed record Seen(string Method, string Url, int Status, string? ContentType);

    [Fact]
    public async Task A_page_on_another_origin_uploads_with_a_token_reads_info_and_shows_the_picture_the_browser_chose()
    {
        var (direktPort, pagePort) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        var direktUrl = $"http://127.0.0.1:{direktPort}";
        await using var site = await PageOrigin.StartAsync(pagePort, CrossOriginPage.Html, Pixels.RedLeftBlueRight(1200, 600));
        await using var server = await DirektTestServer.StartAsync($$"""
            http.port = {{direktPort}}
            http.public-url = "{{direktUrl}}"
            http.cors.allowed-origins = ["{{site.Origin}}"]
            auth.api-keys = ["browser-test-api-key-0123456789"]
            auth.upload-tokens.secret-key = "{{TokenKey}}"
            paths { "/**" { image.lqip = [blurhash, thumbhash] } }
            """);
        // 300 CSS pixels wide at a device pixel ratio of 2: a 100vw image needs 600 device pixels.
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 300, Height = 600 },
            DeviceScaleFactor = 2,
        });
        await using var watched = new WatchedPage(context, await context.NewPageAsync());
        var page = watched.Page;
        var seen = new ConcurrentQueue<Seen>();
        page.Response += (_, r) =>
        {
            if (r.Url.StartsWith(direktUrl, StringComparison.Ordinal))
                seen.Enqueue(new Seen(r.Request.Method, r.Url, r.Status, r.Headers.GetValueOrDefault("content-type")));
        };
        await page.GotoAsync(site.Origin + "/");
        await page.WaitForFunctionAsync("() => window.ready === true");

        // The back end mints the token (Direkt.Client); the page never sees a key.
        var token = UploadTokens.Mint(TokenKey, "/browser/**", TimeSpan.FromMinutes(5), maxBytes: 1_000_000, types: ["image/png"]);
        var uploaded = await page.EvaluateAsync<JsonElement>("a => window.uploadWithToken(a)",
            new { @base = direktUrl, token, path = "/browser/photo" });

        uploaded.GetProperty("info").GetProperty("path").GetString().Should().Be("/browser/photo");
        var progress = uploaded.GetProperty("progress").EnumerateArray().Select(p => (Loaded: p[0].GetInt64(), Total: p[1].GetInt64())).ToList();
        progress.Should().NotBeEmpty("XMLHttpRequest reports upload progress");
        progress[^1].Loaded.Should().Be(progress[^1].Total);
        progress[^1].Total.Should().BeGreaterThan(uploaded.GetProperty("size").GetInt64(), "the multipart body wraps the file");
        seen.Should().Contain(s => s.Method == "POST" && s.Url == direktUrl + "/assets/browser/photo" && s.Status == 201);

        var shown = await page.EvaluateAsync<JsonElement>("a => window.showPicture(a)",
            new { @base = direktUrl, path = "/browser/photo", widths = Widths });

        shown.GetProperty("alt").GetString().Should().Be("Red and blue", "info was read cross-origin");
        shown.GetProperty("sources").EnumerateArray().Select(s => s.GetString()).Should().Equal("image/avif", "image/webp");
        // What the browser fetched for the <picture>: one variant, AVIF (the first type it supports), 600 px = 300 × DPR 2.
        var pictureRequests = seen.Where(s => s.Url.Contains("/-/new/content?w=", StringComparison.Ordinal) && s.Url.Contains("format=")).ToList();
        pictureRequests.Should().ContainSingle().Which.Should().Be(
            new Seen("GET", $"{direktUrl}/assets/browser/photo/-/new/content?w=600&format=avif", 200, "image/avif"));
        shown.GetProperty("currentSrc").GetString().Should().Be(pictureRequests[0].Url);
        shown.GetProperty("naturalWidth").GetInt32().Should().Be(300, "600 image pixels at the 600w descriptor fill 300 CSS pixels");
        var info = JsonDocument.Parse(await server.Client.GetStringAsync("/assets/browser/photo/-/info")).RootElement;
        var made = info.GetProperty("variants").EnumerateArray().Single(v => !v.GetProperty("isOriginalVariant").GetBoolean()
            && v.GetProperty("transformation").GetProperty("format").GetString() == "avif");
        (made.GetProperty("attributes").GetProperty("width").GetInt32(), made.GetProperty("attributes").GetProperty("height").GetInt32())
            .Should().Be((600, 300), "the server made the width the browser asked for");

        // The ThumbHash placeholder decoded in the page: 2:1 like the photo, red on the left, blue on the right.
        var (left, right) = (Rgb(shown.GetProperty("left")), Rgb(shown.GetProperty("right")));
        shown.GetProperty("placeholder")[0].GetInt32().Should().Be(32);
        left[0].Should().BeGreaterThan(left[2] + 100, $"the left is red ({string.Join(",", left)})");
        right[2].Should().BeGreaterThan(right[0] + 100, $"the right is blue ({string.Join(",", right)})");
        // Headers a cross-origin page may read only when Direkt exposes them.
        shown.GetProperty("blurhashHeader").GetString().Should().NotBeNullOrEmpty();
        shown.GetProperty("etag").GetString().Should().StartWith("\"");
        watched.ShouldHaveNoErrors();
    }

    private static int[] Rgb(JsonElement pixel) => pixel.EnumerateArray().Take(3).Select(v => v.GetInt32()).ToArray();
}
