using System.Net;
using Direkt.Scheduling;
using Direkt.Storage.Objects;
using Direkt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

public sealed class OverloadTests
{
    [Fact]
    public async Task When_the_synchronous_queue_stays_full_requests_get_503_with_retry_after_and_service_resumes()
    {
        GatedObjectStore? store = null;
        await using var server = await DirektTestServer.StartAsync("""
            variant-generation { workers = 1, queue-size = 1, enqueue-timeout = 100ms }
            """, services: s => s.AddSingleton<IObjectStore>(provider => store = new GatedObjectStore(new FileSystemObjectStore(
                provider.GetRequiredService<Direkt.Configuration.Loading.DirektConfiguration>().Options.ObjectStore.Filesystem.Root))));
        var pool = server.Services.GetRequiredService<WorkerPool>();
        await server.Client.PostAsync("/busy/x", TestImages.Jpeg(64, 48));

        store!.HoldVariantWrites();
        var running = server.Client.GetAsync("/assets/busy/x/-/content?w=10");   // occupies the only worker
        await WaitUntil(() => pool.Busy == 1);
        var queued = server.Client.GetAsync("/assets/busy/x/-/content?w=11");    // takes the only queue place
        await WaitUntil(() => pool.Queued(JobQueue.Synchronous) == 1);

        var refused = await server.Client.GetAsync("/assets/busy/x/-/content?w=12");

        refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter!.Delta.Should().BePositive();
        (await refused.JsonAsync()).GetProperty("detail").GetString().Should().Contain("busy");
        (await refused.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:queue-full");
        store.ReleaseVariantWrites();
        (await running).StatusCode.Should().Be(HttpStatusCode.OK);
        (await queued).StatusCode.Should().Be(HttpStatusCode.OK);
        (await server.Client.GetAsync("/assets/busy/x/-/content?w=12")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_generation_whose_only_client_left_is_cancelled_and_frees_its_worker()
    {
        GatedObjectStore? store = null;
        await using var server = await DirektTestServer.StartAsync("variant-generation.workers = 1",
            services: s => s.AddSingleton<IObjectStore>(provider => store = new GatedObjectStore(new FileSystemObjectStore(
                provider.GetRequiredService<Direkt.Configuration.Loading.DirektConfiguration>().Options.ObjectStore.Filesystem.Root))));
        var pool = server.Services.GetRequiredService<WorkerPool>();
        await server.Client.PostAsync("/gone/x", TestImages.Jpeg(64, 48));

        store!.HoldVariantWrites();
        using (var impatient = new CancellationTokenSource())
        {
            var request = server.Client.GetAsync("/assets/gone/x/-/content?w=10", impatient.Token);
            await WaitUntil(() => pool.Busy == 1);
            impatient.Cancel();
            await request.Invoking(r => r).Should().ThrowAsync<OperationCanceledException>();
        }

        await WaitUntil(() => pool.Busy == 0);
        pool.Counters.Failed.Should().Be(1, "the abandoned generation was cancelled");
        store.ReleaseVariantWrites();
        (await server.Client.GetAsync("/assets/gone/x/-/content?w=20")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition()) await Task.Delay(5, timeout.Token);
    }
}

public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_report_queues_workers_jobs_and_durations()
    {
        await using var server = await DirektTestServer.StartAsync("variant-generation.workers = 3");
        await server.Client.PostAsync("/m/x", TestImages.Jpeg(64, 48));
        await server.Client.GetAsync("/assets/m/x/-/content?w=10");
        await server.Client.GetAsync("/assets/m/x/-/content?w=10");

        var metrics = await server.Client.GetStringAsync("/metrics");

        metrics.Should().Contain("direkt_queue_depth{queue=\"synchronous\"} 0")
            .And.Contain("direkt_queue_depth{queue=\"asynchronous\"} 0")
            .And.Contain("direkt_workers{state=\"idle\"} 3")
            .And.Contain("direkt_jobs_total{queue=\"synchronous\",outcome=\"completed\"} 2") // the upload's probe and one generation
            .And.Contain("direkt_job_duration_seconds_count{kind=\"on-demand\"} 1")
            .And.Contain("direkt_job_duration_seconds_count{kind=\"inspect\"} 1")
            .And.Contain("direkt_job_wait_seconds_count{queue=\"synchronous\"} 2")
            .And.Contain("direkt_variant_requests_total{outcome=\"hit\"} 1")
            .And.Contain("direkt_variant_generations_total 1");
    }
}

public sealed class MemoryAdmissionTests
{
    private static byte[] Jpeg(int side, bool progressive)
    {
        using var image = NetVips.Image.Black(side, side, bands: 3).Copy(interpretation: NetVips.Enums.Interpretation.Srgb) + 90;
        using var cast = image.Cast(NetVips.Enums.BandFormat.Uchar);
        return cast.JpegsaveBuffer(interlace: progressive);
    }

    [Fact]
    public async Task An_image_whose_decode_alone_exceeds_the_memory_budget_is_refused_with_413()
    {
        // 60 MB: a 2000 × 2000 baseline JPEG shrinks on load (~50 MB estimated), a progressive one decodes whole (~62 MB).
        await using var server = await DirektTestServer.StartAsync("variant-generation.memory-budget = 60MB");

        var baseline = await server.Client.PostAsync("/mem/baseline", Jpeg(2000, progressive: false));
        var progressive = await server.Client.PostAsync("/mem/progressive", Jpeg(2000, progressive: true));

        baseline.StatusCode.Should().Be(HttpStatusCode.Created);
        (await server.Client.GetAsync("/assets/mem/baseline/-/content?w=100")).StatusCode.Should().Be(HttpStatusCode.OK);
        progressive.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await progressive.JsonAsync()).GetProperty("detail").GetString().Should().Contain("memory budget of 60 MB");
        (await progressive.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:over-budget");
        server.StoredFiles().Should().ContainSingle(f => f.Contains("originals"));
    }

    [Fact]
    public async Task An_image_over_the_pixel_limit_is_413_too_many_pixels()
    {
        await using var server = await DirektTestServer.StartAsync("limits.max-source-pixels = 5000");

        var response = await server.Client.PostAsync("/pixels/big", TestImages.Jpeg(100, 100));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await response.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:too-many-pixels");
        server.StoredFiles().Should().BeEmpty();
    }
}
