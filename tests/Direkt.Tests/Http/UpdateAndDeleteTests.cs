using System.Net;
using System.Text;
using Direkt.Storage.Objects;
using Direkt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

/// <summary>PUT …/-/entry/{id} and DELETE in all their forms (API.md §3), with the outbox removing stored objects.</summary>
public sealed class UpdateAndDeleteTests : IAsyncLifetime
{
    private DirektTestServer _server = null!;
    private HttpClient Client => _server.Client;

    public async Task InitializeAsync() => _server = await DirektTestServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> Put(string url, string json, string contentType = "application/json") =>
        Client.PutAsync(url, new StringContent(json, Encoding.UTF8, contentType));

    [Fact]
    public async Task Put_replaces_the_information_and_changes_every_variant_etag()
    {
        await Client.PostAsync("/u/photo", TestImages.Jpeg(100, 80), """{"alt":"old","labels":{"a":"1"},"tags":["t"]}""");
        var before = await Client.GetAsync("/assets/u/photo/-/content?w=40");
        var originalBefore = await Client.GetAsync("/assets/u/photo/-/content");

        var response = await Put("/assets/u/photo/-/entry/0", """{"alt":"new alt","labels":{"b":"2"}}""");
        var after = await Client.GetAsync("/assets/u/photo/-/content?w=40");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var info = await response.JsonAsync();
        info.GetProperty("alt").GetString().Should().Be("new alt");
        info.GetProperty("labels").GetProperty("b").GetString().Should().Be("2");
        info.GetProperty("tags").GetArrayLength().Should().Be(0, "absent fields are cleared");
        DateTimeOffset.Parse(info.GetProperty("modifiedAt").GetString()!).Should().BeAfter(DateTimeOffset.Parse(info.GetProperty("createdAt").GetString()!));
        after.Headers.ETag.Should().NotBe(before.Headers.ETag);
        (await Client.GetAsync("/assets/u/photo/-/content")).Headers.ETag.Should().NotBe(originalBefore.Headers.ETag);
        after.Headers.GetValues("Direkt-Alt").Should().Equal("new%20alt");
        after.Headers.GetValues("Cache-Status").Should().Equal(new[] { "direkt; hit" }, "the variant itself is kept");
        (await Client.GetAsync("/assets/u/photo/-/content?w=40", HttpCompletionOption.ResponseHeadersRead)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Client.GetAsync("/assets/u/photo?a=1")).StatusCode.Should().Be(HttpStatusCode.NotFound, "the old label is gone");
    }

    [Fact]
    public async Task Put_moves_an_asset_to_the_front_of_the_modified_order()
    {
        await Client.PostAsync("/order/x", TestImages.Png(10, 10));
        await Client.PostAsync("/order/x", TestImages.Png(11, 10));

        await Put("/assets/order/x/-/entry/0", """{"alt":"touched"}""");

        (await (await Client.GetAsync("/assets/order/x/-/modified/info")).JsonAsync()).GetProperty("entryId").GetInt64().Should().Be(0);
        (await (await Client.GetAsync("/assets/order/x/-/new/info")).JsonAsync()).GetProperty("entryId").GetInt64().Should().Be(1);
    }

    [Theory]
    [InlineData("/assets/u2/photo/-/entry/7", """{"alt":"x"}""", "application/json", HttpStatusCode.NotFound)]
    [InlineData("/assets/u2/photo", """{"alt":"x"}""", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("/assets/u2/photo/-/entry/0", """{"alt":"x",}""", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("/assets/u2/photo/-/entry/0", """{"colour":"red"}""", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("/assets/u2/photo/-/entry/0", """{"labels":{"w":1}}""", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("/assets/u2/photo/-/entry/0", "alt=x", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    public async Task Bad_updates_are_problems_and_change_nothing(string url, string body, string type, HttpStatusCode status)
    {
        await Client.PostAsync("/u2/photo", TestImages.Png(10, 10), """{"alt":"keep"}""");

        var response = await Put(url, body, type);

        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await (await Client.GetAsync("/assets/u2/photo/-/info")).JsonAsync()).GetProperty("alt").GetString().Should().Be("keep");
    }

    [Fact]
    public async Task Put_refuses_metadata_over_its_limits()
    {
        await Client.PostAsync("/u3/photo", TestImages.Png(10, 10));
        var labels = string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"k{i}\":\"v\""));

        (await Put("/assets/u3/photo/-/entry/0", $$"""{"alt":"{{new string('a', 126)}}"}""")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Put("/assets/u3/photo/-/entry/0", "{\"labels\":{" + labels + "}}")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Deleting_an_entry_removes_its_record_at_once_and_its_objects_soon_after()
    {
        await Client.PostAsync("/del/photo", TestImages.Jpeg(100, 80));
        await Client.GetAsync("/assets/del/photo/-/content?w=30");
        _server.StoredFiles().Should().HaveCount(2);

        var first = await Client.DeleteAsync("/assets/del/photo/-/entry/0");
        var again = await Client.DeleteAsync("/assets/del/photo/-/entry/0");

        first.StatusCode.Should().Be(HttpStatusCode.NoContent);
        again.StatusCode.Should().Be(HttpStatusCode.NoContent, "DELETE is idempotent");
        (await Client.GetAsync("/assets/del/photo/-/info")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await Eventually(() => _server.StoredFiles().Count == 0, "the outbox removes both stored objects");
        (await (await Client.PostAsync("/del/photo", TestImages.Png(5, 5))).JsonAsync()).GetProperty("entryId").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task Delete_by_order_limit_labels_and_recursively()
    {
        for (var i = 0; i < 4; i++)
            await Client.PostAsync("/many/x", TestImages.Png(10 + i, 10), "{\"labels\":{\"phone\":\"" + (i % 2 == 0 ? "android" : "ios") + "\"}}");
        await Client.PostAsync("/many/x/below", TestImages.Png(10, 10));
        await Client.PostAsync("/many/xy", TestImages.Png(10, 10));

        await Client.DeleteAsync("/assets/many/x");                        // the newest: entry 3
        await Client.DeleteAsync("/assets/many/x?limit=-1&phone=android");  // entries 0 and 2
        var ids = await (await Client.GetAsync("/assets/many/x/-/info?limit=-1")).JsonAsync();
        await Client.DeleteAsync("/assets/many/x/-/recursive");

        ids.EnumerateArray().Select(a => a.GetProperty("entryId").GetInt64()).Should().Equal(1);
        (await Client.GetAsync("/assets/many/x/-/info")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Client.GetAsync("/assets/many/x/below/-/info")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Client.GetAsync("/assets/many/xy/-/info")).StatusCode.Should().Be(HttpStatusCode.OK, "a sibling sharing the prefix stays");
        await Eventually(() => _server.StoredFiles().Count == 1, "only the sibling's original remains stored");
    }

    [Theory]
    [InlineData("/assets/bad/x/-/entry/0?limit=2")]
    [InlineData("/assets/bad/x/-/recursive?limit=2")]
    [InlineData("/assets/bad/x?w=10")]
    [InlineData("/assets/bad/x/-/content")]
    [InlineData("/assets/bad/x?limit=0")]
    public async Task Malformed_deletes_are_400_and_delete_nothing(string url)
    {
        await Client.PostAsync("/bad/x", TestImages.Png(10, 10));

        (await Client.DeleteAsync(url)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Client.GetAsync("/assets/bad/x/-/info")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_entry_delete_with_labels_deletes_only_a_matching_asset()
    {
        await Client.PostAsync("/lab/x", TestImages.Png(10, 10), """{"labels":{"phone":"ios"}}""");

        await Client.DeleteAsync("/assets/lab/x/-/entry/0?phone=android");

        (await Client.GetAsync("/assets/lab/x/-/info")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    internal static async Task Eventually(Func<bool> condition, string what)
    {
        for (var i = 0; i < 600 && !condition(); i++) await Task.Delay(50);
        condition().Should().BeTrue(what);
    }
}

/// <summary>The outbox keeps deletions through an object-store outage and finishes them once the store is back.</summary>
public sealed class DeletionOutboxTests
{
    [Fact]
    public async Task Objects_of_deleted_records_are_removed_after_the_store_comes_back()
    {
        var folder = Directory.CreateTempSubdirectory("direkt-outbox-").FullName;
        var store = new SwitchableObjectStore(new FileSystemObjectStore(Path.Combine(folder, "objects")));
        await using (var server = await DirektTestServer.StartAsync(dataFolder: folder, services: s => s.AddSingleton<IObjectStore>(store)))
        {
            await server.Client.PostAsync("/out/photo", TestImages.Jpeg(60, 40));
            store.Down = true;

            var deleted = await server.Client.DeleteAsync("/assets/out/photo/-/entry/0");
            // Objects are due once cached lookups have lapsed; then at least one outbox round fails against the down store.
            await Task.Delay(new Direkt.Variants.LookupCacheOptions().Ttl + TimeSpan.FromMilliseconds(1500));

            deleted.StatusCode.Should().Be(HttpStatusCode.NoContent, "records go at once, whatever the store does");
            (await server.Client.GetAsync("/assets/out/photo/-/info")).StatusCode.Should().Be(HttpStatusCode.NotFound);
            server.StoredFiles().Should().ContainSingle("the object waits in the outbox");
        }

        // A restart (new process state, same database and folder) resumes the outbox: a crash loses no deletion.
        store.Down = false;
        await using var restarted = await DirektTestServer.StartAsync(dataFolder: folder, services: s => s.AddSingleton<IObjectStore>(store));
        await UpdateAndDeleteTests.Eventually(() => restarted.StoredFiles().Count == 0, "the retried deletion removes the object");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}

/// <summary>Objects no record points at (a crash between store and record) are swept; everything recorded stays served.</summary>
public sealed class OrphanSweepTests
{
    [Fact]
    public async Task An_old_orphan_is_removed_and_recorded_objects_stay()
    {
        await using var server = await DirektTestServer.StartAsync();
        await server.Client.PostAsync("/kept/photo", TestImages.Jpeg(50, 40));
        await server.Client.GetAsync("/assets/kept/photo/-/content?w=20");
        var prefix = await server.Services.GetRequiredService<Direkt.Storage.Objects.ObjectKeyNames>().PrefixAsync(default);
        var orphan = Path.Combine(server.ObjectsFolder, "assets", prefix.TrimEnd('/'), "originals",
            $"{Guid.CreateVersion7(DateTimeOffset.UtcNow.AddHours(-2)):N}.jpg");
        await File.WriteAllBytesAsync(orphan, TestImages.Jpeg(10, 10));

        var removed = await server.Services.GetRequiredService<Direkt.Storage.Outbox.OrphanSweeper>().SweepAsync(["assets"], default);

        removed.Should().Be(1);
        File.Exists(orphan).Should().BeFalse();
        server.StoredFiles().Should().HaveCount(2);
        (await server.Client.GetAsync("/assets/kept/photo/-/content?w=20")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}

/// <summary>Two deployments (each its own database) sharing one bucket: each sweeps only the objects it named itself.</summary>
public sealed class SharedBucketSweepTests
{
    private sealed class Later(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + by;
    }

    [Fact]
    public async Task Two_deployments_on_one_bucket_never_sweep_each_others_objects()
    {
        var shared = Directory.CreateTempSubdirectory("direkt-shared-").FullName;
        var root = $"object-store.filesystem.root = {System.Text.Json.JsonSerializer.Serialize(shared)}";
        await using var first = await DirektTestServer.StartAsync(root);
        await using var second = await DirektTestServer.StartAsync(root);
        await first.Client.PostAsync("/one/photo", TestImages.Jpeg(50, 40));
        await first.Client.GetAsync("/assets/one/photo/-/content?w=20");
        await second.Client.PostAsync("/two/photo", TestImages.Jpeg(60, 40));
        await second.Client.GetAsync("/assets/two/photo/-/content?w=30");
        var objects = Directory.GetFiles(shared, "*", SearchOption.AllDirectories);
        objects.Should().HaveCount(4);
        // Keys start with each deployment's own id.
        objects.Select(f => Path.GetRelativePath(Path.Combine(shared, "assets"), f).Split('/')[0]).Distinct().Should().HaveCount(2);

        // An orphan of the first deployment, and an object named before deployment ids (no prefix): owner unknown.
        var prefix = await first.Services.GetRequiredService<Direkt.Storage.Objects.ObjectKeyNames>().PrefixAsync(default);
        var old = Guid.CreateVersion7(DateTimeOffset.UtcNow.AddHours(-2)).ToString("N");
        var orphan = Path.Combine(shared, "assets", prefix.TrimEnd('/'), "variants", $"{old}.webp");
        var legacy = Path.Combine(shared, "assets", "originals", $"{old}.jpg");
        foreach (var file in new[] { orphan, legacy })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, TestImages.Jpeg(10, 10));
        }

        // Both sweep with a clock past the grace period, so every object of the other deployment would be a candidate.
        var removed = new List<int>();
        foreach (var server in new[] { second, first })
        {
            var sweeper = new Direkt.Storage.Outbox.OrphanSweeper(server.Services.GetRequiredService<Direkt.Storage.Objects.IObjectStore>(),
                server.Services.GetRequiredService<Direkt.Storage.Records.IReferencedObjects>(),
                server.Services.GetRequiredService<Direkt.Storage.Objects.ObjectKeyNames>(), new Later(TimeSpan.FromHours(3)),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<Direkt.Storage.Outbox.OrphanSweeper>.Instance);
            removed.Add(await sweeper.SweepAsync(["assets"], default));
        }

        removed.Should().Equal(0, 1);
        File.Exists(orphan).Should().BeFalse("the first deployment's own orphan goes");
        File.Exists(legacy).Should().BeTrue("an object without a deployment id is never swept");
        Directory.GetFiles(shared, "*", SearchOption.AllDirectories).Should().HaveCount(5);
        (await first.Client.GetAsync("/assets/one/photo/-/content?w=20")).Headers.GetValues("Cache-Status").Single().Should().Be("direkt; hit");
        (await second.Client.GetAsync("/assets/two/photo/-/content?w=30")).Headers.GetValues("Cache-Status").Single().Should().Be("direkt; hit");
        Directory.Delete(shared, recursive: true);
    }
}
