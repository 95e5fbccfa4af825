using System.Diagnostics;

namespace Direkt.Benchmarks;

/// <summary>
/// On-demand variant throughput for combinations of `workers` and `vips-concurrency`: every request is a distinct
/// 800 px JPEG of one of the corpus photos (no cache hits), sent by 16 concurrent clients.
/// </summary>
internal static class ThroughputBenchmark
{
    public static async Task<int> RunAsync(int requests)
    {
        var files = Corpus.Files();
        Console.WriteLine($"corpus: {files.Count} photo-like JPEGs, {string.Join(", ", Corpus.Sizes.Select(s => $"{s.Width}×{s.Height}"))}; " +
                          $"{requests} distinct 800 px JPEG variants per run, 16 clients, {Environment.ProcessorCount} CPUs");
        Console.WriteLine("| workers | vips-concurrency | variants/s | p50 ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|---|");
        var port = 18200;
        foreach (var workers in new[] { 2, 4, 8 })
        foreach (var concurrency in new[] { 1, 2, 0 })
        {
            await using var server = await ServerProcess.StartAsync(port++, new Dictionary<string, string?>
            {
                ["DIREKT_VARIANT_GENERATION__WORKERS"] = workers.ToString(),
                ["DIREKT_VARIANT_GENERATION__VIPS_CONCURRENCY"] = concurrency.ToString(),
            });
            for (var i = 0; i < files.Count; i++) await Load.UploadAsync(server.Client, $"/bench/p{i}", files[i]);
            // Warm-up: one variant per photo, not measured.
            await Load.RunAsync(server.Client, Enumerable.Range(0, files.Count).Select(i => $"/assets/bench/p{i}/-/content?w=640&format=jpg").ToList(), 2);

            var urls = Enumerable.Range(0, requests).Select(i => $"/assets/bench/p{i % files.Count}/-/content?w={800 + i}&format=jpg").ToList();
            var clock = Stopwatch.StartNew();
            var latencies = await Load.RunAsync(server.Client, urls, 16);
            var rate = requests / clock.Elapsed.TotalSeconds;
            Console.WriteLine($"| {workers} | {(concurrency == 0 ? "default" : concurrency)} | {rate:0.0} | {Load.Percentile(latencies, 50):0} | {Load.Percentile(latencies, 99):0} |");
        }
        return 0;
    }
}
