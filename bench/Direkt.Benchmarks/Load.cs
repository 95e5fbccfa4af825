using System.Diagnostics;

namespace Direkt.Benchmarks;

internal static class Load
{
    public static async Task UploadAsync(HttpClient client, string path, string file)
    {
        using var form = new MultipartFormDataContent();
        await using var stream = System.IO.File.OpenRead(file);
        form.Add(new StreamContent(stream), "asset", Path.GetFileName(file));
        (await client.PostAsync("/assets" + path, form)).EnsureSuccessStatusCode();
    }

    /// <summary>Runs the requests with <paramref name="concurrency"/> clients; returns each request's latency.</summary>
    public static async Task<List<TimeSpan>> RunAsync(HttpClient client, IReadOnlyList<string> urls, int concurrency)
    {
        var latencies = new List<TimeSpan>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < urls.Count)
            {
                var clock = Stopwatch.StartNew();
                using var response = await client.GetAsync(urls[i]);
                await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
                lock (latencies) latencies.Add(clock.Elapsed);
            }
        }));
        return latencies;
    }

    public static double Percentile(List<TimeSpan> values, double p)
    {
        var sorted = values.Select(v => v.TotalMilliseconds).Order().ToList();
        return sorted[(int)Math.Clamp(Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
