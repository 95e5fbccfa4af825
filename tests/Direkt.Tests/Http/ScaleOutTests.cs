using System.Net;
using Direkt.Storage.Objects;
using Direkt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

/// <summary>
/// Two Direkt instances sharing one S3 bucket (s3rver) and one PostgreSQL database, as behind a load balancer:
/// whatever one instance stores or generates, the other serves, and races between them leave one record and one object.
/// </summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    private SharedBackends _backends = null!;
    private DirektTestServer _a = null!;
    private DirektTestServer _b = null!;

    public async Task InitializeAsync()
    {
        _backends = await SharedBackends.CreateAsync();
        // Started together: both apply migrations to the same empty database at once.
        var started = await Task.WhenAll(DirektTestServer.StartAsync(_backends.Configuration), DirektTestServer.StartAsync(_backends.Configuration));
        (_a, _b) = (started[0], started[1]);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _backends.DisposeAsync();
    }

    [Fact]
    public async Task An_asset_uploaded_through_one_instance_is_served_by_the_other()
    {
        var jpeg = TestImages.Jpeg(320, 200);

        var created = await _a.Client.PostAsync("/users/7/avatar", jpeg);
        var served = await _b.Client.GetAsync("/assets/users/7/avatar/-/content");
        var info = await (await _b.Client.GetAsync("/assets/users/7/avatar/-/info")).JsonAsync();

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        served.StatusCode.Should().Be(HttpStatusCode.OK);
        (await served.Content.ReadAsByteArrayAsync()).Should().Equal(jpeg);
        info.GetProperty("entryId").GetInt64().Should().Be(0);
        var original = info.GetProperty("variants")[0];
        original.GetProperty("storeBucket").GetString().Should().Be(_backends.Bucket);
        (await _backends.Buckets.KeysAsync(_backends.Bucket)).Where(k => k.Contains("originals/")).Should().Equal(original.GetProperty("storeKey").GetString());
    }

    [Fact]
    public async Task A_variant_generated_by_one_instance_is_a_cache_hit_on_the_other()
    {
        await _a.Client.PostAsync("/shared/photo", TestImages.Jpeg(400, 300));

        var first = await _a.Client.GetAsync("/assets/shared/photo/-/content?w=100&format=png");
        var second = await _b.Client.GetAsync("/assets/shared/photo/-/content?w=100&format=png");

        first.Headers.GetValues("Cache-Status").Should().Equal("direkt; fwd=miss; stored");
        second.Headers.GetValues("Cache-Status").Should().Equal("direkt; hit");
        var bytes = await second.Content.ReadAsByteArrayAsync();
        bytes.Should().Equal(await first.Content.ReadAsByteArrayAsync());
        Pixels.Size(bytes).Should().Be((100, 75));
    }

    [Fact]
    public async Task Identical_variant_requests_racing_on_both_instances_leave_one_record_and_one_object()
    {
        // Both instances generate the same variant and hold their writes until both are ready: a true cross-instance race.
        var gateA = new GatedObjectStore(_backends.NewObjectStore());
        var gateB = new GatedObjectStore(_backends.NewObjectStore());
        await using var a = await DirektTestServer.StartAsync(_backends.Configuration, services: s => s.AddSingleton<IObjectStore>(gateA));
        await using var b = await DirektTestServer.StartAsync(_backends.Configuration, services: s => s.AddSingleton<IObjectStore>(gateB));
        await a.Client.PostAsync("/race/x", TestImages.Jpeg(600, 400));
        gateA.HoldVariantWrites();
        gateB.HoldVariantWrites();

        var requests = Enumerable.Range(0, 16).Select(i => (i % 2 == 0 ? a : b).Client.GetAsync("/assets/race/x/-/content?w=123&format=webp")).ToList();
        await WaitUntil(() => gateA.HeldWrites == 1 && gateB.HeldWrites == 1);
        gateA.ReleaseVariantWrites();
        gateB.ReleaseVariantWrites();
        var responses = await Task.WhenAll(requests);

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsByteArrayAsync()));
        bodies.Select(Pixels.Size).Should().AllBeEquivalentTo((123, 82));
        var record = (await _backends.RecordsAsync("/race/x")).Should().ContainSingle().Subject;
        var variant = record.Variants.Should().ContainSingle(v => !v.IsOriginalVariant).Subject;
        (await _backends.Buckets.KeysAsync(_backends.Bucket)).Where(k => k.Contains("variants/")).Should().Equal(new[] { variant.StoreKey },
            "the instance that lost the race deleted its own object");
        // Every response carries the winner's bytes: the loser serves the recorded object, not its own.
        var winner = await (await a.Client.GetAsync("/assets/race/x/-/content?w=123&format=webp")).Content.ReadAsByteArrayAsync();
        bodies.Should().OnlyContain(body => body.SequenceEqual(winner));
        winner.Length.Should().Be((int)variant.Attributes.Bytes);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 600 && !condition(); i++) await Task.Delay(50);
        condition().Should().BeTrue("both instances should be generating the variant");
    }

    [Fact]
    public async Task Concurrent_uploads_to_one_path_through_both_instances_get_distinct_entry_ids()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            (i % 2 == 0 ? _a : _b).Client.PostAsync("/busy/path", TestImages.Png(8 + i, 8))));

        var ids = await Task.WhenAll(responses.Select(async r => (await r.JsonAsync()).GetProperty("entryId").GetInt64()));
        ids.Should().BeEquivalentTo(Enumerable.Range(0, 12).Select(i => (long)i));
        (await _backends.Buckets.KeysAsync(_backends.Bucket)).Where(k => k.Contains("originals/")).Should().HaveCount(12);
    }
}
