using System.Diagnostics;
using System.Net;
using Direkt.Tests.Support;
using Xunit.Abstractions;

namespace Direkt.Tests.Http;

/// <summary>
/// Admission by the whole job, measured on the real executable: four concurrent enlarge + pad WebP variants (each admitted
/// by the output limits) under `memory-budget = 1GB` keep the process's peak resident memory (VmHWM) under the budget plus
/// the base the server reaches on a small variant. Before whole-job admission each job counted only its 240 kB decode and
/// all four ran at once.
/// </summary>
public sealed class WholeJobMemoryTests(ITestOutputHelper output)
{
    private const long Budget = 1L << 30;

    [Fact]
    public async Task Four_large_padded_webp_variants_stay_within_the_budget_plus_the_base()
    {
        using var folder = new ConfigurationFiles();
        var config = folder.Write("direkt.conf", "variant-generation { memory-budget = 1GB, workers = 4, job-timeout = 5m }\n");
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = folder.Folder };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Direkt.dll"));
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config);
        start.Environment["DIREKT_HTTP__PORT"] = port.ToString();
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
            await Health.WaitAsync(client);
            (await client.PostAsync("/assets/rss/x", Uploads.Form(TestImages.Png(320, 240)))).StatusCode.Should().Be(HttpStatusCode.Created);
            (await client.GetAsync("/assets/rss/x/-/content?format=webp&w=400&pad=10")).StatusCode.Should().Be(HttpStatusCode.OK);
            var baseline = PeakResident(process.Id);

            // (job-timeout 5 min: two of these 64 MP encodes run one after the other on a loaded 2-core machine; memory is the subject.)
            // 8000 × 8000 after padding (64 MP, ~340 MB each when measured alone: four at once would be ~1.4 GB): within max-output-dimension (8192) and max-output-pixels (8192²). Four distinct variants.
            var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
                client.GetAsync($"/assets/rss/x/-/content?format=webp&w={6000 - i}&h=6000&fit=stretch&enlarge=true&pad=1000&pad-c=%23ff0000")));
            var peak = PeakResident(process.Id);
            output.WriteLine($"base VmHWM {baseline / 1_048_576} MB, peak VmHWM {peak / 1_048_576} MB");

            foreach (var (response, i) in responses.Select((r, i) => (r, i)))
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
                var bytes = await response.Content.ReadAsByteArrayAsync();
                Pixels.Size(bytes).Should().Be((8000 - i, 8000));
                Pixels.At(bytes, 0, 0).Should().BeEquivalentTo(new[] { 255.0, 0, 0 }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 8)).WhenTypeIs<double>(), "lossy red padding");
            }
            peak.Should().BeLessThan(baseline + Budget, "admission holds the running jobs' real memory within the budget");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    // The kernel's high-water mark of the process's resident set.
    private static long PeakResident(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024).Single();

}
