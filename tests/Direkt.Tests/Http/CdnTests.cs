using System.Net;
using Direkt.TestServices;
using Direkt.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

/// <summary>
/// Direkt as the origin of a caching reverse proxy (nginx, as a CDN would be): repeats are served from the proxy's cache,
/// expired copies are revalidated with If-None-Match (304 from Direkt), and each negotiated format is cached separately.
/// </summary>
public sealed class CdnTests : IAsyncLifetime
{
    private readonly RequestRecorder _origin = new();
    private readonly NginxProcess _nginx = new();
    private DirektTestServer _server = null!;
    private HttpClient _cdn = null!;

    public async Task InitializeAsync()
    {
        _server = await DirektTestServer.StartAsync("""
            paths { "/cdn/**" { cache-control { enabled = true, visibility = public, max-age = 6 } } }
            """, services: s => s.AddSingleton<IStartupFilter>(_origin));
        await _nginx.StartAsync(_server.Client.BaseAddress!);
        _cdn = new HttpClient { BaseAddress = _nginx.Address };
        await _server.Client.PostAsync("/cdn/photo", TestImages.Jpeg(400, 300));
    }

    public async Task DisposeAsync()
    {
        _cdn.Dispose();
        await _nginx.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<(HttpResponseMessage Response, byte[] Body)> ViaCdn(string url, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await _cdn.SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    private static string CacheStatus(HttpResponseMessage response) => response.Headers.GetValues("X-Cache-Status").Single();

    private int OriginGets(string url) => _origin.Requests.Count(r => r.Method == "GET" && r.Target == url);

    [Fact]
    public async Task Repeats_come_from_the_cache_formats_are_kept_apart_and_expiry_revalidates_with_the_etag()
    {
        const string url = "/assets/cdn/photo/-/content?w=120";

        var webp1 = await ViaCdn(url, "image/webp,image/*;q=0.8");
        var webp2 = await ViaCdn(url, "image/webp,image/*;q=0.8");
        var jpeg1 = await ViaCdn(url, "image/jpeg");
        var jpeg2 = await ViaCdn(url, "image/jpeg");
        var webp3 = await ViaCdn(url, "image/webp,image/*;q=0.8");

        (CacheStatus(webp1.Response), CacheStatus(webp2.Response)).Should().Be(("MISS", "HIT"));
        (CacheStatus(jpeg1.Response), CacheStatus(jpeg2.Response), CacheStatus(webp3.Response)).Should().Be(("MISS", "HIT", "HIT"));
        webp3.Response.Content.Headers.ContentType!.MediaType.Should().Be("image/webp");
        jpeg2.Response.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        webp3.Body.Should().Equal(webp1.Body);
        jpeg2.Body.Should().Equal(jpeg1.Body);
        Pixels.Size(jpeg2.Body).Should().Be((120, 90));
        OriginGets(url).Should().Be(2, "Direkt saw one request per format, the repeats never reached it");

        await Task.Delay(TimeSpan.FromSeconds(7)); // past max-age = 6 (long enough that the first five requests fit inside it)
        var revalidated = await ViaCdn(url, "image/webp,image/*;q=0.8");

        CacheStatus(revalidated.Response).Should().Be("REVALIDATED");
        revalidated.Body.Should().Equal(webp1.Body);
        var conditional = _origin.Requests.Last(r => r.Target == url);
        conditional.IfNoneMatch.Should().Be(webp1.Response.Headers.ETag!.Tag);
        conditional.Status.Should().Be((int)HttpStatusCode.NotModified);
    }
}
