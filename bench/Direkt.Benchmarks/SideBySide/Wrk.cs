using System.Diagnostics;
using System.Text.Json;

namespace Direkt.Benchmarks.SideBySide;

/// <summary>One load measurement: requests per second and latency percentiles, with what went wrong.</summary>
internal sealed record Measurement(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors, long Wrapped)
{
    public override string ToString() => $"{RequestsPerSecond,9:0.0} req/s  p50 {P50Ms,7:0.0} ms  p99 {P99Ms,7:0.0} ms" +
                                         (Errors > 0 ? $"  {Errors} errors" : "");
}

/// <summary>
/// Runs Debian's wrk with bench/wrk/urls.lua over a list of request paths. wrk, not an in-process .NET client, so every
/// contender is driven by the same C load generator at the same cost, and its latency histogram gives the p99.
/// </summary>
internal sealed class Wrk(string luaScript, string workFolder)
{
    private int _lists;

    /// <summary>Writes the paths to a list file for <see cref="RunAsync"/>.</summary>
    public string WriteList(string name, IEnumerable<string> paths)
    {
        var file = Path.Combine(workFolder, $"{Interlocked.Increment(ref _lists):00}-{name}.txt");
        File.WriteAllLines(file, paths);
        return file;
    }

    public async Task<Measurement> RunAsync(string baseUrl, string listFile, int connections, TimeSpan duration)
    {
        var threads = Math.Min(2, connections);
        var start = new ProcessStartInfo("wrk",
        [
            "-t", threads.ToString(), "-c", connections.ToString(), "-d", $"{(int)duration.TotalSeconds}s",
            // A miss may queue behind the pool for seconds; wrk's default 2 s timeout would count it as an error.
            "--timeout", "30s", "--latency", "-s", luaScript, baseUrl, "--", listFile, threads.ToString(),
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var json = (await output).Split('\n').LastOrDefault(l => l.StartsWith('{'))
                   ?? throw new InvalidOperationException($"wrk printed no result: {await output}{await error}");
        using var result = JsonDocument.Parse(json);
        var r = result.RootElement;
        long Get(string name) => r.GetProperty(name).GetInt64();
        return new Measurement(Get("requests") / (Get("duration_us") / 1e6), Get("p50_us") / 1e3, Get("p99_us") / 1e3,
            Get("requests"), Get("errors"), Get("wrapped"));
    }
}
