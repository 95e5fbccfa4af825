using System.Net;
using Direkt.Browser.Tests.Support;
using Direkt.Http.Observability;
using Direkt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Direkt.Browser.Tests;

/// <summary>GET /status in headless chromium: it loads cleanly and shows /stats as it changes.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StatusPageTests(BrowserFixture browser)
{
    private static readonly LocatorAssertionsToHaveTextOptions Soon = new() { Timeout = 30_000 };

    private static ILocator Stat(WatchedPage page, string key) => page.Page.Locator($"[data-stat='{key}']");

    [Fact]
    public async Task The_page_loads_without_errors_and_its_numbers_move_while_variants_are_made()
    {
        await using var server = await DirektTestServer.StartAsync("variant-generation.workers = 2");
        await using var page = await browser.NewPageAsync();

        var response = await page.Page.GotoAsync(new Uri(server.Client.BaseAddress!, "/status").ToString());
        response!.Status.Should().Be(200);
        response.Headers["content-security-policy"].Should().Contain("script-src 'sha256-").And.Contain("connect-src 'self'");
        await Expect(page.Page.Locator("#state")).ToHaveTextAsync("live", Soon);
        await Expect(Stat(page, "generations.total")).ToHaveTextAsync("0", Soon);
        await Expect(Stat(page, "workers.total")).ToHaveTextAsync("2", Soon);
        await Expect(Stat(page, "cache.hitRatio")).ToHaveTextAsync("–", Soon);
        await Expect(page.Page.Locator("#jobs tbody tr")).ToHaveCountAsync(0); // no background job runs (or no jobs part at all)

        // Load while the page watches: an upload, five distinct variants (misses) and one repeat (a hit).
        (await server.Client.PostAsync("/status/photo", TestImages.Jpeg(800, 600))).StatusCode.Should().Be(HttpStatusCode.Created);
        foreach (var width in new[] { 40, 60, 80, 100, 120, 40 })
            (await server.Client.GetAsync($"/assets/status/photo/-/content?w={width}")).StatusCode.Should().Be(HttpStatusCode.OK);

        await Expect(Stat(page, "generations.total")).ToHaveTextAsync("5", Soon);
        await Expect(Stat(page, "cache.misses")).ToHaveTextAsync("5", Soon);
        await Expect(Stat(page, "cache.hits")).ToHaveTextAsync("1", Soon);
        await Expect(Stat(page, "cache.hitRatio")).ToHaveTextAsync("16.7 %", Soon);
        await Expect(Stat(page, "queues.synchronous.completed")).ToHaveTextAsync("6", Soon); // the upload's probe and five generations
        await Expect(Stat(page, "generations.p50Ms")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d ms$"), Soon);
        await Expect(Stat(page, "generations.p99Ms")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d ms$"), Soon);
        await Expect(Stat(page, "memory.residentBytes")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d+)? (MiB|GiB)$"), Soon);
        page.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task Background_jobs_are_shown_with_progress_and_buckets_with_their_bytes()
    {
        // Fixed job entries replace the jobs part's section (a later section of the same name wins), to see how the page draws
        // the contract's entries.
        await using var server = await DirektTestServer.StartAsync(services: s => s.AddSingleton<IStatsSection>(new FixedJobs()));
        (await server.Client.PostAsync("/status/stored", TestImages.Jpeg(300, 200))).StatusCode.Should().Be(HttpStatusCode.Created);
        var storedBytes = server.StoredFiles().Sum(f => new FileInfo(Path.Combine(server.ObjectsFolder, f)).Length);
        await using var page = await browser.NewPageAsync();

        await page.Page.GotoAsync(new Uri(server.Client.BaseAddress!, "/status").ToString());

        var running = page.Page.Locator("[data-job='job-1']");
        await Expect(running).ToContainTextAsync("pregenerate", new() { Timeout = 30_000 });
        await Expect(running).ToContainTextAsync("40 / 100");
        await Expect(running).ToContainTextAsync("2.50 / s");
        await Expect(running).ToContainTextAsync("24s");
        (await running.Locator("progress").EvaluateAsync<double>("p => p.value / p.max")).Should().Be(0.4);
        await Expect(page.Page.Locator("[data-job='job-2']")).ToContainTextAsync("queued");
        var bucket = page.Page.Locator("#buckets tbody tr");
        await Expect(bucket).ToHaveCountAsync(1);
        await Expect(bucket.Locator("td").Nth(1)).ToHaveTextAsync("1");
        (await bucket.Locator("td").Nth(2).TextContentAsync()).Should().Be(storedBytes < 1024 ? $"{storedBytes} B" : $"{storedBytes / 1024.0:0.##} KiB".Replace(',', '.'));
        page.ShouldHaveNoErrors();
    }

    private sealed class FixedJobs : IStatsSection
    {
        public string Name => "jobs";

        public ValueTask<object?> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult<object?>(new object[]
        {
            new { id = "job-1", kind = "pregenerate", state = "running", total = 100, done = 30, skipped = 8, failed = 2, ratePerSecond = 2.5, etaSeconds = 24 },
            new { id = "job-2", kind = "purge", state = "queued", total = 0, done = 0, skipped = 0, failed = 0, ratePerSecond = (double?)null, etaSeconds = (double?)null },
        });
    }
}
