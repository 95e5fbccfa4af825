using System.Diagnostics;
using System.Text.Json;
using Direkt.Imaging;
using NetVips;

namespace Direkt.Benchmarks.SideBySide;

/// <summary>
/// The in-process limit for misses: what Direkt's pool could reach if HTTP, storage and records cost nothing. The same
/// libvips set-up (<see cref="LibvipsRuntime"/>, and as many libvips threads per job as Direkt's default), the same calls as Direkt's renderer for <c>?w=W&amp;format=jpg&amp;q=80</c>
/// (<c>thumbnail</c> bounded by width, never enlarging, then <c>jpegsave</c> with optimised coding and, as Direkt's lean
/// variants since issue 11, no metadata: these photos are sRGB, so not even an ICC profile), on as
/// many threads as Direkt has workers, over the same list of photos and widths. Run as its own process, so the runtime and
/// libvips are as fresh as the server's: <c>Direkt.Benchmarks thumbnail-limit LIST WORKERS SECONDS</c>; prints one JSON line.
/// </summary>
internal static class ThumbnailLimit
{
    private const int Unbounded = 10_000_000;

    public static int Run(string listFile, int workers, int seconds)
    {
        // Direkt's own rule for libvips threads per job (variant-generation.vips-concurrency = 0), for as many jobs at once.
        LibvipsRuntime.Initialize(DirektServer.VipsThreads(0, workers));
        var jobs = File.ReadAllLines(listFile).Where(l => l.Length > 0).Select(l => l.Split('\t'))
            .Select(p => (File: p[0], Width: int.Parse(p[1]))).ToArray();
        // Warm-up, not counted: each photo once, so the first requests do not pay for JIT and libvips' start.
        foreach (var file in jobs.Select(j => j.File).Distinct()) Render(file, 640);

        var latencies = new List<double>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            while (clock.Elapsed < deadline)
            {
                var job = jobs[Interlocked.Increment(ref next) % jobs.Length];
                var started = clock.Elapsed;
                Render(job.File, job.Width);
                lock (latencies) latencies.Add((clock.Elapsed - started).TotalMilliseconds);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var elapsed = clock.Elapsed.TotalSeconds;
        latencies.Sort();
        double P(double p) => latencies[(int)Math.Clamp(Math.Ceiling(p / 100 * latencies.Count) - 1, 0, latencies.Count - 1)];
        Console.WriteLine(JsonSerializer.Serialize(new { count = latencies.Count, seconds = elapsed, p50_ms = P(50), p99_ms = P(99) }));
        return 0;
    }

    private static void Render(string file, int width)
    {
        using var image = Image.Thumbnail(file, width, height: Unbounded, size: Enums.Size.Down, failOn: Enums.FailOn.Error);
        using var ready = image.Copy();
        ready.JpegsaveBuffer(q: 80, keep: Enums.ForeignKeep.None, optimizeCoding: true, interlace: false);
    }

    /// <summary>Runs the limit process and reads its result.</summary>
    public static async Task<Measurement> MeasureAsync(string listFile, int workers, TimeSpan duration)
    {
        var start = new ProcessStartInfo("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Direkt.Benchmarks.dll"), "thumbnail-limit", listFile, workers.ToString(), ((int)duration.TotalSeconds).ToString()])
        {
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var json = output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? throw new InvalidOperationException("thumbnail-limit printed no result: " + output);
        using var result = JsonDocument.Parse(json);
        var r = result.RootElement;
        var count = r.GetProperty("count").GetInt64();
        return new Measurement(count / r.GetProperty("seconds").GetDouble(), r.GetProperty("p50_ms").GetDouble(), r.GetProperty("p99_ms").GetDouble(), count, 0, 0);
    }
}
