using System.Net;
using System.Net.Http.Headers;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>Validators, conditional requests, byte ranges and Cache-Control policies on content (API.md §3).</summary>
public sealed class HttpCachingTests : IAsyncLifetime
{
    private DirektTestServer _server = null!;
    private readonly byte[] _jpeg = TestImages.Jpeg(300, 200);
    private HttpClient Client => _server.Client;

    public async Task InitializeAsync()
    {
        _server = await DirektTestServer.StartAsync("""
            paths {
              "/cached/**" { cache-control { enabled = true, visibility = public, max-age = 3600, s-maxage = 86400,
                                             stale-while-revalidate = 60, stale-if-error = 600, immutable = true } }
              "/cached/private/**" { cache-control { visibility = private, max-age = 60, s-maxage = null, revalidate = must-revalidate,
                                                     stale-while-revalidate = null, stale-if-error = null, immutable = false } }
            }
            """);
        await Client.PostAsync("/c/photo", _jpeg);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> Get(string url, Action<HttpRequestHeaders>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        headers?.Invoke(request.Headers);
        return Client.SendAsync(request);
    }

    [Fact]
    public async Task Content_carries_a_strong_etag_last_modified_and_accept_ranges()
    {
        var response = await Get("/assets/c/photo/-/content");

        response.Headers.ETag!.IsWeak.Should().BeFalse();
        response.Headers.ETag.Tag.Should().MatchRegex("^\"[A-Za-z0-9_-]{22}\"$");
        response.Content.Headers.LastModified.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        response.Headers.AcceptRanges.Should().Equal("bytes");
        response.Headers.NonValidated["Cache-Control"].ToString().Should().Be("public, max-age=60, must-revalidate",
            "a selector URL gets the short revalidating default when the path sets no cache-control");
        (await Get("/assets/c/photo/-/content")).Headers.ETag.Should().Be(response.Headers.ETag, "the same bytes keep their tag");
    }

    [Fact]
    public async Task If_none_match_with_the_current_tag_answers_304_without_a_body()
    {
        var etag = (await Get("/assets/c/photo/-/content")).Headers.ETag!;

        var same = await Get("/assets/c/photo/-/content", h => h.IfNoneMatch.Add(etag));
        var weakForm = await Get("/assets/c/photo/-/content", h => h.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag, isWeak: true)));
        var any = await Get("/assets/c/photo/-/content", h => h.IfNoneMatch.Add(EntityTagHeaderValue.Any));
        var other = await Get("/assets/c/photo/-/content", h => h.IfNoneMatch.ParseAdd("\"something-else\""));

        same.StatusCode.Should().Be(HttpStatusCode.NotModified);
        (await same.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        same.Headers.ETag.Should().Be(etag);
        weakForm.StatusCode.Should().Be(HttpStatusCode.NotModified, "If-None-Match uses the weak comparison");
        any.StatusCode.Should().Be(HttpStatusCode.NotModified);
        other.StatusCode.Should().Be(HttpStatusCode.OK);
        (await other.Content.ReadAsByteArrayAsync()).Should().Equal(_jpeg);
    }

    [Fact]
    public async Task If_modified_since_counts_only_without_if_none_match()
    {
        var lastModified = (await Get("/assets/c/photo/-/content")).Content.Headers.LastModified!.Value;

        var notModified = await Get("/assets/c/photo/-/content", h => h.IfModifiedSince = lastModified);
        var modified = await Get("/assets/c/photo/-/content", h => h.IfModifiedSince = lastModified.AddSeconds(-1));
        var tagWins = await Get("/assets/c/photo/-/content", h =>
        {
            h.IfModifiedSince = lastModified.AddDays(1);
            h.IfNoneMatch.ParseAdd("\"stale\"");
        });

        notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);
        modified.StatusCode.Should().Be(HttpStatusCode.OK);
        tagWins.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Every_variant_and_every_negotiated_format_has_its_own_tag()
    {
        var original = await Get("/assets/c/photo/-/content?format=jpg");
        var small = await Get("/assets/c/photo/-/content?w=100");
        var webp = await Get("/assets/c/photo/-/content?w=100", h => h.Accept.ParseAdd("image/webp"));
        var jpeg = await Get("/assets/c/photo/-/content?w=100", h => h.Accept.ParseAdd("image/jpeg"));

        new[] { original, small, webp }.Select(r => r.Headers.ETag!.Tag).Should().OnlyHaveUniqueItems();
        webp.Content.Headers.ContentType!.MediaType.Should().Be("image/webp");
        jpeg.Headers.ETag.Should().Be(small.Headers.ETag);
        webp.Headers.Vary.Should().Contain("Accept");
    }

    [Fact]
    public async Task A_single_range_answers_206_with_exactly_those_bytes()
    {
        var first = await Get("/assets/c/photo/-/content", h => h.Range = new RangeHeaderValue(0, 99));
        var suffix = await Get("/assets/c/photo/-/content", h => h.Range = new RangeHeaderValue(null, 50));
        var open = await Get("/assets/c/photo/-/content", h => h.Range = new RangeHeaderValue(1000, null));
        var clipped = await Get("/assets/c/photo/-/content", h => h.Range = new RangeHeaderValue(_jpeg.Length - 10, _jpeg.Length + 500));

        first.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        first.Content.Headers.ContentRange!.ToString().Should().Be($"bytes 0-99/{_jpeg.Length}");
        (await first.Content.ReadAsByteArrayAsync()).Should().Equal(_jpeg[..100]);
        (await suffix.Content.ReadAsByteArrayAsync()).Should().Equal(_jpeg[^50..]);
        (await open.Content.ReadAsByteArrayAsync()).Should().Equal(_jpeg[1000..]);
        (await clipped.Content.ReadAsByteArrayAsync()).Should().Equal(_jpeg[^10..]);
        clipped.Content.Headers.ContentRange!.ToString().Should().Be($"bytes {_jpeg.Length - 10}-{_jpeg.Length - 1}/{_jpeg.Length}");
    }

    [Fact]
    public async Task Ranges_work_on_generated_variants_too()
    {
        var whole = await (await Get("/assets/c/photo/-/content?w=120&format=png")).Content.ReadAsByteArrayAsync();

        var part = await Get("/assets/c/photo/-/content?w=120&format=png", h => h.Range = new RangeHeaderValue(10, 19));

        part.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        (await part.Content.ReadAsByteArrayAsync()).Should().Equal(whole[10..20]);
    }

    [Fact]
    public async Task Unsatisfiable_multiple_and_stale_if_range_requests()
    {
        var etag = (await Get("/assets/c/photo/-/content")).Headers.ETag!;

        var beyond = await Get("/assets/c/photo/-/content", h => h.Range = new RangeHeaderValue(_jpeg.Length, null));
        var multiple = await Get("/assets/c/photo/-/content", h => h.Range = RangeHeaderValue.Parse("bytes=0-9,20-29"));
        var currentIfRange = await Get("/assets/c/photo/-/content", h =>
        {
            h.Range = new RangeHeaderValue(0, 9);
            h.IfRange = new RangeConditionHeaderValue(etag);
        });
        var staleIfRange = await Get("/assets/c/photo/-/content", h =>
        {
            h.Range = new RangeHeaderValue(0, 9);
            h.IfRange = new RangeConditionHeaderValue("\"old\"");
        });

        beyond.StatusCode.Should().Be(HttpStatusCode.RequestedRangeNotSatisfiable);
        beyond.Content.Headers.ContentRange!.ToString().Should().Be($"bytes */{_jpeg.Length}");
        multiple.StatusCode.Should().Be(HttpStatusCode.OK, "several ranges are answered with the whole object");
        (await multiple.Content.ReadAsByteArrayAsync()).Should().Equal(_jpeg);
        currentIfRange.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        staleIfRange.StatusCode.Should().Be(HttpStatusCode.OK);
        (await staleIfRange.Content.ReadAsByteArrayAsync()).Should().Equal(_jpeg);
    }

    [Fact]
    public async Task Head_answers_the_same_headers_without_a_body()
    {
        var get = await Get("/assets/c/photo/-/content?w=90");
        var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/assets/c/photo/-/content?w=90"));

        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Headers.ETag.Should().Be(get.Headers.ETag);
        head.Content.Headers.ContentLength.Should().Be(get.Content.Headers.ContentLength);
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Cache_control_follows_the_path_policy_most_specific_first()
    {
        await Client.PostAsync("/cached/a", _jpeg);
        await Client.PostAsync("/cached/private/b", _jpeg);

        var shared = await Get("/assets/cached/a/-/content?w=50");
        var notModified = await Get("/assets/cached/a/-/content?w=50", h => h.IfNoneMatch.Add(shared.Headers.ETag!));
        var personal = await Get("/assets/cached/private/b/-/download");

        shared.Headers.GetValues("Cache-Control").Single().Should()
            .Be("public, max-age=3600, s-maxage=86400, stale-while-revalidate=60, stale-if-error=600, immutable");
        notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);
        notModified.Headers.GetValues("Cache-Control").Single().Should().StartWith("public, max-age=3600");
        var cc = personal.Headers.CacheControl!;
        (cc.Private, cc.Public, cc.MaxAge, cc.SharedMaxAge, cc.MustRevalidate).Should().Be((true, false, TimeSpan.FromSeconds(60), (TimeSpan?)null, true));
        cc.Extensions.Should().BeEmpty("stale-* and immutable were switched off for this path");
    }
}
