using System.Diagnostics;

namespace Direkt.Benchmarks;

/// <summary>
/// On-demand latency with and without a saturating eager backlog: 40 sequential requests for distinct 800 px JPEG variants,
/// first on an idle server, then right after uploads that queue hundreds of eager AVIF variants (asynchronous work).
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
        // Every upload below /eager queues 40 eager AVIF variants.
        for (var i = 0; i < files.Count; i++) await Load.UploadAsync(server.Client, $"/eager/p{i}", files[i]);
        var busy = await MeasureAsync(server, "backlog");

        Console.WriteLine($"{Environment.ProcessorCount} CPUs, default workers (2 × CPUs), synchronous-priority 80; eager backlog: {files.Count * profiles.Count} AVIF variants queued");
        Console.WriteLine("| situation | requests | p50 ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| idle server | {idle.Count} | {Load.Percentile(idle, 50):0} | {Load.Percentile(idle, 99):0} |");
        Console.WriteLine($"| eager backlog queued | {busy.Count} | {Load.Percentile(busy, 50):0} | {Load.Percentile(busy, 99):0} |");
        return 0;
    }

    private static async Task<List<TimeSpan>> MeasureAsync(ServerProcess server, string run)
    {
        var files = Corpus.Files();
        var urls = Enumerable.Range(0, 40)
            .Select(i => $"/assets/plain/p{i % files.Count}/-/content?w={(run == "idle" ? 800 : 1200) + i}&format=jpg").ToList();
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
