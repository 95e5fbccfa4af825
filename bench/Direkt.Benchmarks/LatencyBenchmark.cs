using System.Net.Http.Json;
using System.Text.Json;
using System.Diagnostics;

namespace Direkt.Benchmarks;

/// <summary>
/// On-demand latency on an idle server, while a background job pregenerates hundreds of AVIF variants, and with a saturating
/// eager backlog: 40 sequential requests for distinct JPEG variants each time (all three are asynchronous work).
/// </summary>
internal static class LatencyBenchmark
{
    public static async Task<int> RunAsync()
    {
        var files = Corpus.Files();
        var profiles = Enumerable.Range(1, 40).ToList();
        var settings = new Dictionary<string, string?>
        {
            ["DIREKT_CONFIG"] = WriteConfig(profiles),
        };
        await using var server = await ServerProcess.StartAsync(18300, settings);
        for (var i = 0; i < files.Count; i++) await Load.UploadAsync(server.Client, $"/plain/p{i}", files[i]);

        var idle = await MeasureAsync(server, "idle");

        // A pregenerate job over copies of the corpus: 40 AVIF widths each, fed at asynchronous priority.
        for (var i = 0; i < files.Count; i++) await Load.UploadAsync(server.Client, $"/job/p{i}", files[i]);
        var job = await server.Client.PostAsJsonAsync("/jobs", new
        {
            kind = "pregenerate",
            path = "/job/**",
            transformations = profiles.Select(p => $"w={300 + p}&format=avif").ToArray(),
        });
        job.EnsureSuccessStatusCode();
        var jobUrl = job.Headers.Location!.PathAndQuery; // absolute under http.public-url, which the benchmark does not set
        while ((await server.Client.GetFromJsonAsync<JsonElement>(jobUrl)).GetProperty("state").GetString() == "queued")
            await Task.Delay(100);
        var during = await MeasureAsync(server, "job");
        var progress = await server.Client.GetFromJsonAsync<JsonElement>(jobUrl);
        var jobDone = progress.GetProperty("done").GetInt64();
        var jobTotal = progress.GetProperty("total").GetInt64();
        var cancelled = await server.Client.DeleteAsync(jobUrl); // the eager measurement below must not share the workers with it
        cancelled.EnsureSuccessStatusCode();
        // Every upload below /eager queues 40 eager AVIF variants.
        for (var i = 0; i < files.Count; i++) await Load.UploadAsync(server.Client, $"/eager/p{i}", files[i]);
        var busy = await MeasureAsync(server, "backlog");

        Console.WriteLine($"{Environment.ProcessorCount} CPUs, default workers (2 × CPUs), synchronous-priority 80; eager backlog: {files.Count * profiles.Count} AVIF variants queued");
        Console.WriteLine("| situation | requests | p50 ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| idle server | {idle.Count} | {Load.Percentile(idle, 50):0} | {Load.Percentile(idle, 99):0} |");
        Console.WriteLine($"| pregenerate job running (its saved progress when the requests ended: {jobDone} of {jobTotal} AVIF items) | {during.Count} | {Load.Percentile(during, 50):0} | {Load.Percentile(during, 99):0} |");
        Console.WriteLine($"| eager backlog queued | {busy.Count} | {Load.Percentile(busy, 50):0} | {Load.Percentile(busy, 99):0} |");
        return 0;
    }

    private static async Task<List<TimeSpan>> MeasureAsync(ServerProcess server, string run)
    {
        var files = Corpus.Files();
        var urls = Enumerable.Range(0, 40)
            .Select(i => $"/assets/plain/p{i % files.Count}/-/content?w={run switch { "idle" => 800, "job" => 1000, _ => 1200 } + i}&format=jpg").ToList();
        return await Load.RunAsync(server.Client, urls, 1);
    }

    private static string WriteConfig(IEnumerable<int> profiles)
    {
        var path = Path.Combine(Path.GetTempPath(), "direkt-bench-latency.conf");
        var names = profiles.Select(p => $"e{p}").ToList();
        File.WriteAllText(path, string.Concat(profiles.Select(p => $"variant-profiles.e{p} {{ w = {300 + p}, format = avif }}\n"))
            + $"paths {{ \"/eager/**\" {{ transform.eager-variants = [{string.Join(", ", names)}] }} }}\n");
        return path;
    }
}
