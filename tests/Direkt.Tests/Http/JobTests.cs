using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Direkt.Storage.Objects;
using Direkt.Tests.Support;
using Direkt.Variants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Direkt.Tests.Http;

/// <summary>Background jobs through HTTP: pregenerate, restart, purge, dry run, cancel, validation.</summary>
public sealed class JobTests
{
    private const string Profiles = """
        variant-profiles.tiny { w = 16, format = png }
        variant-profiles.small { w = 8, format = webp }
        """;

    private static async Task UploadAsync(DirektTestServer server, string prefix, int count)
    {
        var png = TestImages.Png(32, 32);
        for (var i = 0; i < count; i++)
            (await server.Client.PostAsync($"{prefix}/a{i:000}", png)).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    private static async Task<JsonElement> StartJobAsync(DirektTestServer server, object body)
    {
        var response = await server.Client.PostAsJsonAsync("/jobs", body);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var job = await response.JsonAsync();
        response.Headers.Location!.ToString().Should().Be($"{DirektTestServer.PublicUrl}/jobs/{job.GetProperty("id").GetString()}");
        return job;
    }

    private static async Task<JsonElement> GetJobAsync(DirektTestServer server, string id) =>
        await (await server.Client.GetAsync($"/jobs/{id}")).JsonAsync();

    private static async Task<JsonElement> WaitForStateAsync(DirektTestServer server, string id, string state)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var job = await GetJobAsync(server, id);
            if (job.GetProperty("state").GetString() == state) return job;
            await Task.Delay(20, timeout.Token);
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition()) await Task.Delay(10, timeout.Token);
    }

    [Fact]
    public async Task Pregenerate_renders_nothing_for_an_asset_that_may_store_no_more_variants()
    {
        await using var server = await DirektTestServer.StartAsync(Profiles + "\nlimits.max-variants-per-asset = 1");
        await UploadAsync(server, "/full", 1);
        // The asset's one stored variant, made on demand: the asset is full.
        (await server.Client.GetAsync("/assets/full/a000/-/content?w=4&format=png")).EnsureSuccessStatusCode();
        var counters = server.Services.GetRequiredService<VariantCounters>();
        counters.Generated.Should().Be(1);

        var started = await StartJobAsync(server, new { kind = "pregenerate", path = "/full/**", profiles = new[] { "tiny", "small" } });
        var job = await WaitForStateAsync(server, started.GetProperty("id").GetString()!, "done");

        job.GetProperty("done").GetInt64().Should().Be(0);
        job.GetProperty("failed").GetInt64().Should().Be(2, "each variant would pass limits.max-variants-per-asset");
        job.GetProperty("errors")[0].GetProperty("problem").GetString().Should().Contain("limits.max-variants-per-asset");
        counters.Generated.Should().Be(1, "nothing is rendered to be thrown away");
        counters.NotStored.Should().Be(0);
    }

    [Fact]
    public async Task Pregenerate_over_200_assets_reaches_done_and_every_variant_is_then_a_hit()
    {
        await using var server = await DirektTestServer.StartAsync(Profiles);
        await UploadAsync(server, "/products", 200);
        await UploadAsync(server, "/other", 1);
        var counters = server.Services.GetRequiredService<VariantCounters>();

        var started = await StartJobAsync(server, new { kind = "pregenerate", path = "/products/**", profiles = new[] { "tiny" } });
        var job = await WaitForStateAsync(server, started.GetProperty("id").GetString()!, "done");

        job.GetProperty("total").GetInt64().Should().Be(200);
        job.GetProperty("done").GetInt64().Should().Be(200);
        job.GetProperty("skipped").GetInt64().Should().Be(0);
        job.GetProperty("failed").GetInt64().Should().Be(0);
        job.GetProperty("finishedAt").GetDateTimeOffset().Should().BeOnOrAfter(job.GetProperty("startedAt").GetDateTimeOffset());
        counters.Generated.Should().Be(200);
        for (var i = 0; i < 200; i++)
        {
            var response = await server.Client.GetAsync($"/assets/products/a{i:000}/-/content?profile=tiny");
            response.Headers.GetValues("Cache-Status").Single().Should().Be("direkt; hit");
        }
        (await server.Client.GetAsync("/assets/other/a000/-/content?profile=tiny")).Headers.GetValues("Cache-Status").Single()
            .Should().Contain("miss", "the job covered /products only");

        // The same job again finds every variant stored.
        var again = await StartJobAsync(server, new { kind = "pregenerate", path = "/products/**", profiles = new[] { "tiny" } });
        var repeated = await WaitForStateAsync(server, again.GetProperty("id").GetString()!, "done");
        repeated.GetProperty("skipped").GetInt64().Should().Be(200);
        counters.Generated.Should().Be(201);

        var metrics = await server.Client.GetStringAsync("/metrics");
        metrics.Should().Contain("direkt_background_job_items_total{kind=\"pregenerate\",outcome=\"done\"} 200");
        metrics.Should().Contain("direkt_background_job_items_total{kind=\"pregenerate\",outcome=\"skipped\"} 200");
    }

    /// <summary>Holds every variant write after the first <see cref="Free"/> until released (the job is stopped meanwhile).</summary>
    private sealed class HoldAfter(IObjectStore inner) : IObjectStore
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _writes;
        public int Free { get; set; } = int.MaxValue;
        public int Held;
        public void Release() => _gate.TrySetResult();

        public async Task<long> PutAsync(string bucket, string key, Stream content, string contentType, CancellationToken ct)
        {
            if (key.Contains("/variants/", StringComparison.Ordinal) && Interlocked.Increment(ref _writes) > Free)
            {
                Interlocked.Increment(ref Held);
                await _gate.Task.WaitAsync(ct);
            }
            return await inner.PutAsync(bucket, key, content, contentType, ct);
        }

        public Task<StoredObject?> GetAsync(string bucket, string key, CancellationToken ct) => inner.GetAsync(bucket, key, ct);
        public Task<StoredObject?> GetRangeAsync(string bucket, string key, long offset, long length, CancellationToken ct) =>
            inner.GetRangeAsync(bucket, key, offset, length, ct);
        public Task<long?> GetLengthAsync(string bucket, string key, CancellationToken ct) => inner.GetLengthAsync(bucket, key, ct);
        public Task<bool> DeleteAsync(string bucket, string key, CancellationToken ct) => inner.DeleteAsync(bucket, key, ct);
        public IAsyncEnumerable<string> ListKeysAsync(string bucket, string prefix, CancellationToken ct) => inner.ListKeysAsync(bucket, prefix, ct);
        public Task CheckHealthAsync(CancellationToken ct) => inner.CheckHealthAsync(ct);
    }

    private static Task<DirektTestServer> StartHeld(string configuration, string? dataFolder, Action<HoldAfter> held) =>
        DirektTestServer.StartAsync(configuration, dataFolder: dataFolder, services: s => s.AddSingleton<IObjectStore>(provider =>
        {
            var store = new HoldAfter(new FileSystemObjectStore(
                provider.GetRequiredService<Direkt.Configuration.Loading.DirektConfiguration>().Options.ObjectStore.Filesystem.Root));
            held(store);
            return store;
        }));

    [Fact]
    public async Task A_job_stopped_by_a_restart_resumes_from_its_cursor_and_generates_no_item_twice()
    {
        var data = Directory.CreateTempSubdirectory("direkt-jobs-restart-").FullName;
        const string configuration = Profiles + "\nvariant-generation.workers = 2";
        HoldAfter store = null!;
        long firstRun;
        string id;
        {
            var server = await StartHeld(configuration, data, s => store = s);
            await UploadAsync(server, "/r", 40);
            store.Free = 10;
            id = (await StartJobAsync(server, new { kind = "pregenerate", path = "/r/**", profiles = new[] { "tiny" } })).GetProperty("id").GetString()!;
            await WaitUntil(() => Volatile.Read(ref store.Held) >= 1);

            // SIGTERM: feeding stops at once; the held items are let go and finish within shutdown-grace.
            var lifetime = server.Services.GetRequiredService<IHostApplicationLifetime>();
            var generated = server.Services.GetRequiredService<VariantCounters>();
            var stopping = server.DisposeAsync().AsTask();
            await WaitUntil(() => lifetime.ApplicationStopping.IsCancellationRequested);
            store.Release();
            await stopping;
            firstRun = generated.Generated;
        }
        firstRun.Should().BeInRange(10, 39, "the stop came in the middle of the job (writes after the 10th were held)");

        await using var restarted = await DirektTestServer.StartAsync(configuration, dataFolder: data);
        var job = await WaitForStateAsync(restarted, id, "done");

        var secondRun = restarted.Services.GetRequiredService<VariantCounters>().Generated;
        (firstRun + secondRun).Should().Be(40, "no item was generated twice");
        job.GetProperty("done").GetInt64().Should().Be(40);
        job.GetProperty("skipped").GetInt64().Should().Be(0, "no item ran twice");
        Directory.GetFiles(Path.Combine(data, "objects"), "*", SearchOption.AllDirectories).Count(f => f.Contains("variants")).Should().Be(40);
    }

    [Fact]
    public async Task Two_instances_on_one_database_never_work_a_job_together_and_the_second_takes_it_over_when_the_first_stops()
    {
        var data = Directory.CreateTempSubdirectory("direkt-jobs-lease-").FullName;
        const string configuration = Profiles + "\nvariant-generation.workers = 1\njobs.lease = 1s";
        HoldAfter store = null!;
        var first = await StartHeld(configuration, data, s => store = s);
        await UploadAsync(first, "/l", 10);
        store.Free = 2;
        var id = (await StartJobAsync(first, new { kind = "pregenerate", path = "/l/**", profiles = new[] { "tiny" } })).GetProperty("id").GetString()!;
        await WaitUntil(() => Volatile.Read(ref store.Held) >= 1);
        var firstOwner = first.Services.GetRequiredService<Direkt.Jobs.JobRunner>().Owner;
        var firstGenerated = first.Services.GetRequiredService<VariantCounters>();

        await using var second = await DirektTestServer.StartAsync(configuration, dataFolder: data);
        var secondGenerated = second.Services.GetRequiredService<VariantCounters>();
        // Several leases and polls pass while the first instance is stuck on an item: it keeps renewing, the second keeps off.
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await GetJobAsync(second, id)).GetProperty("owner").GetString().Should().Be(firstOwner);
        secondGenerated.Generated.Should().Be(0);

        var lifetime = first.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = first.DisposeAsync().AsTask();
        await WaitUntil(() => lifetime.ApplicationStopping.IsCancellationRequested);
        store.Release();
        await stopping;

        var job = await WaitForStateAsync(second, id, "done");
        (firstGenerated.Generated + secondGenerated.Generated).Should().Be(10);
        secondGenerated.Generated.Should().BeGreaterThan(0, "the second instance finished the job");
        job.GetProperty("done").GetInt64().Should().Be(10);
        job.GetProperty("skipped").GetInt64().Should().Be(0);
    }

    [Fact]
    public async Task Cancel_stops_within_one_item()
    {
        HoldAfter store = null!;
        await using var server = await StartHeld(Profiles + "\nvariant-generation.workers = 1", null, s => store = s);
        await UploadAsync(server, "/c", 20);
        store.Free = 3;
        var id = (await StartJobAsync(server, new { kind = "pregenerate", path = "/c/**", profiles = new[] { "tiny" } })).GetProperty("id").GetString()!;
        await WaitUntil(() => Volatile.Read(ref store.Held) >= 1);

        // /stats lists the running job (the status page reads it).
        var stats = await (await server.Client.GetAsync("/stats")).JsonAsync();
        var entry = stats.GetProperty("jobs").EnumerateArray().Single();
        entry.GetProperty("id").GetString().Should().Be(id);
        entry.GetProperty("state").GetString().Should().Be("running");
        entry.GetProperty("total").GetInt64().Should().Be(20);

        var cancel = await server.Client.DeleteAsync($"/jobs/{id}");
        cancel.StatusCode.Should().Be(HttpStatusCode.OK);
        (await cancel.JsonAsync()).GetProperty("state").GetString().Should().Be("cancelled");
        store.Release();

        var counters = server.Services.GetRequiredService<VariantCounters>();
        await WaitUntil(() => counters.Generated >= 4);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            while ((await GetJobAsync(server, id)).GetProperty("done").GetInt64() < 4) await Task.Delay(20, timeout.Token);
        var job = await GetJobAsync(server, id);
        job.GetProperty("state").GetString().Should().Be("cancelled");
        job.GetProperty("done").GetInt64().Should().Be(4, "the item running at the cancel finishes; no other starts");
        counters.Generated.Should().Be(4);
        Volatile.Read(ref store.Held).Should().Be(1);
        await Task.Delay(Direkt.Http.Jobs.JobsStatsSection.CacheFor);
        (await (await server.Client.GetAsync("/stats")).JsonAsync()).GetProperty("jobs").GetArrayLength().Should().Be(0, "a cancelled job is not listed");
    }

    [Fact]
    public async Task Purge_removes_variant_objects_and_keeps_originals_and_a_dry_run_removes_nothing()
    {
        await using var server = await DirektTestServer.StartAsync(Profiles + "\nvariant-generation.workers = 2");
        await UploadAsync(server, "/g", 5);
        var originals = server.StoredFiles().ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(server.ObjectsFolder, f)));
        var made = await StartJobAsync(server, new { kind = "pregenerate", path = "/g/**", profiles = new[] { "tiny", "small" } });
        await WaitForStateAsync(server, made.GetProperty("id").GetString()!, "done");
        var variants = server.StoredFiles().Except(originals.Keys).ToList();
        variants.Should().HaveCount(10);
        var variantBytes = variants.Sum(f => new FileInfo(Path.Combine(server.ObjectsFolder, f)).Length);

        var dry = await StartJobAsync(server, new { kind = "purge", path = "/g/**", dryRun = true });
        var dryJob = await WaitForStateAsync(server, dry.GetProperty("id").GetString()!, "done");
        dryJob.GetProperty("purgedVariants").GetInt64().Should().Be(10);
        dryJob.GetProperty("purgedBytes").GetInt64().Should().Be(variantBytes);
        server.StoredFiles().Should().HaveCount(15, "a dry run removes nothing");
        (await server.Client.GetAsync("/assets/g/a000/-/content?profile=tiny")).Headers.GetValues("Cache-Status").Single().Should().Be("direkt; hit");

        var purge = await StartJobAsync(server, new { kind = "purge", path = "/g/**" });
        var purged = await WaitForStateAsync(server, purge.GetProperty("id").GetString()!, "done");
        purged.GetProperty("purgedVariants").GetInt64().Should().Be(10);
        purged.GetProperty("done").GetInt64().Should().Be(5);
        // The objects go through the deletion outbox once no cached lookup can point at them any more.
        var outbox = server.Services.GetRequiredService<Direkt.Storage.Outbox.DeletionOutbox>();
        await Task.Delay(server.Services.GetRequiredService<LookupCache>().Ttl + TimeSpan.FromMilliseconds(200));
        await outbox.RunOnceAsync(default);
        server.StoredFiles().Should().BeEquivalentTo(originals.Keys, "every variant object is gone, every original kept");
        foreach (var (file, bytes) in originals) File.ReadAllBytes(Path.Combine(server.ObjectsFolder, file)).Should().Equal(bytes);
        var info = await (await server.Client.GetAsync("/assets/g/a000/-/info")).JsonAsync();
        info.GetProperty("variants").GetArrayLength().Should().Be(1, "only the original is left");
    }

    [Fact]
    public async Task Regenerate_without_profiles_makes_again_exactly_what_existed()
    {
        await using var server = await DirektTestServer.StartAsync(Profiles);
        await UploadAsync(server, "/rg", 3);
        (await server.Client.GetAsync("/assets/rg/a000/-/content?w=12&format=png")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await server.Client.GetAsync("/assets/rg/a001/-/content?profile=small")).StatusCode.Should().Be(HttpStatusCode.OK);
        var before = await (await server.Client.GetAsync("/assets/rg/a000/-/info")).JsonAsync();

        var started = await StartJobAsync(server, new { kind = "regenerate", path = "/rg/**" });
        var job = await WaitForStateAsync(server, started.GetProperty("id").GetString()!, "done");

        job.GetProperty("total").GetInt64().Should().Be(2);
        job.GetProperty("done").GetInt64().Should().Be(2);
        job.GetProperty("purgedVariants").GetInt64().Should().Be(2);
        var after = await (await server.Client.GetAsync("/assets/rg/a000/-/info")).JsonAsync();
        after.GetProperty("variants").GetArrayLength().Should().Be(2);
        var (old, made) = (before.GetProperty("variants")[1], after.GetProperty("variants")[1]);
        made.GetProperty("storeKey").GetString().Should().NotBe(old.GetProperty("storeKey").GetString(), "it was generated again");
        made.GetProperty("transformation").GetRawText().Should().Be(old.GetProperty("transformation").GetRawText());
        (await server.Client.GetAsync("/assets/rg/a001/-/content?profile=small")).Headers.GetValues("Cache-Status").Single().Should().Be("direkt; hit");
    }

    [Theory]
    [InlineData("""{"kind":"shrink","path":"/a/**","profiles":["tiny"]}""", "kind")]
    [InlineData("""{"kind":"pregenerate","path":"/a/*/b","profiles":["tiny"]}""", "path")]
    [InlineData("""{"kind":"pregenerate","path":"a/**","profiles":["tiny"]}""", "path")]
    [InlineData("""{"kind":"pregenerate","path":"/a/**","profiles":["nope"]}""", "profiles")]
    [InlineData("""{"kind":"pregenerate","path":"/a/**","transformations":["w=abc"]}""", "w")]
    [InlineData("""{"kind":"pregenerate","path":"/a/**"}""", "profiles")]
    [InlineData("""{"kind":"purge","path":"/a/**","profiles":["tiny"]}""", "profiles")]
    [InlineData("""{"kind":"pregenerate","path":"/a/**","profiles":["tiny"],"extra":1}""", "body")]
    [InlineData("""not json""", "body")]
    public async Task Invalid_jobs_are_400_problems_naming_the_field(string body, string field)
    {
        await using var server = await DirektTestServer.StartAsync(Profiles);
        var response = await server.Client.PostAsync("/jobs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue(body);
        (await (await server.Client.GetAsync("/jobs")).JsonAsync()).GetProperty("jobs").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Unknown_jobs_are_404_and_jobs_need_the_api_key_when_keys_are_set()
    {
        await using var server = await DirektTestServer.StartAsync(Profiles + "\nauth.api-keys = [\"k1-0123456789abcdef\"]");
        (await server.Client.GetAsync("/jobs")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await server.Client.PostAsJsonAsync("/jobs", new { kind = "purge", path = "/a/**" })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        server.Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "k1-0123456789abcdef");
        var missing = await server.Client.GetAsync("/jobs/0000");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        missing.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await server.Client.DeleteAsync("/jobs/0000")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await server.Client.GetAsync("/jobs?limit=0")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await server.Client.GetAsync("/jobs?state=sleeping")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
