using System.Diagnostics;
using System.Net;
using Direkt.Storage.Objects;
using Direkt.TestServices;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>
/// The S3 server dies mid-test and comes back: Direkt answers 503 with Retry-After (never 500, never a hang), /ready follows,
/// service resumes without a restart, and no asset record ever points at a missing object.
/// </summary>
public sealed class S3OutageTests : IAsyncLifetime
{
    private readonly S3rverProcess _s3 = new();
    private SharedBackends _backends = null!;
    private DirektTestServer _server = null!;

    public async Task InitializeAsync()
    {
        await _s3.StartAsync();
        _backends = await SharedBackends.CreateAsync(_s3.Endpoint);
        _server = await DirektTestServer.StartAsync(_backends.Configuration);
        _server.Client.Timeout = TimeSpan.FromSeconds(60); // a hang fails the test instead of stalling it
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _backends.DisposeAsync();
        await _s3.DisposeAsync();
    }

    [Fact]
    public async Task Requests_answer_503_while_S3_is_down_and_succeed_again_once_it_is_back()
    {
        var jpeg = TestImages.Jpeg(300, 200);
        (await _server.Client.PostAsync("/outage/photo", jpeg)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await _server.Client.GetAsync("/assets/outage/photo/-/content?w=50")).StatusCode.Should().Be(HttpStatusCode.OK);

        await _s3.KillAsync();

        var clock = Stopwatch.StartNew();
        await ShouldBeUnavailable(await _server.Client.GetAsync("/assets/outage/photo/-/content"));
        await ShouldBeUnavailable(await _server.Client.GetAsync("/assets/outage/photo/-/content?w=80"));
        await ShouldBeUnavailable(await _server.Client.PostAsync("/outage/photo", TestImages.Jpeg(310, 200)));
        await ShouldBeUnavailable(await _server.Client.GetAsync("/ready"));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(50), "an outage is reported, not waited out");
        (await _server.Client.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK, "the process itself is alive");
        (await _server.Client.GetAsync("/assets/outage/photo/-/info")).StatusCode.Should().Be(HttpStatusCode.OK,
            "asset information lives in the database, which is up");

        await _s3.StartAsync();

        var ready = await _server.Client.GetAsync("/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        var content = await _server.Client.GetAsync("/assets/outage/photo/-/content");
        content.StatusCode.Should().Be(HttpStatusCode.OK);
        (await content.Content.ReadAsByteArrayAsync()).Should().Equal(jpeg);
        var variant = await _server.Client.GetAsync("/assets/outage/photo/-/content?w=80");
        variant.StatusCode.Should().Be(HttpStatusCode.OK);
        Pixels.Size(await variant.Content.ReadAsByteArrayAsync()).Width.Should().Be(80);
        var stored = await _server.Client.PostAsync("/outage/photo", TestImages.Jpeg(320, 200));
        stored.StatusCode.Should().Be(HttpStatusCode.Created);
        (await stored.JsonAsync()).GetProperty("entryId").GetInt64().Should().Be(1, "the failed upload recorded nothing");

        await EveryRecordedObjectExists("/outage/photo");
    }

    private async Task EveryRecordedObjectExists(string path)
    {
        using var store = _backends.NewObjectStore();
        foreach (var record in await _backends.RecordsAsync(path))
        foreach (var variant in record.Variants)
            (await store.GetLengthAsync(variant.StoreBucket, variant.StoreKey, default)).Should().Be(variant.Attributes.Bytes,
                $"{record.Path} entry {record.EntryId} [{variant.Transformation ?? "original"}] must point at a stored object");
    }

    private static async Task ShouldBeUnavailable(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        response.Headers.RetryAfter.Should().NotBeNull();
    }
}
