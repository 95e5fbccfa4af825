using System.Diagnostics;
using System.Net.Http.Headers;
using NetVips;

namespace Direkt.Benchmarks;

/// <summary>
/// Peak resident memory of a real server process while it stores a very large JPEG and turns it into an 800 px WebP.
/// The peak mark is reset before each step, so each figure is that step's own peak above the resident size before it.
/// </summary>
internal static class MemoryBenchmark
{
    public static async Task<int> RunAsync(int megapixels, bool progressive)
    {
        var side = (int)Math.Sqrt(megapixels * 1_000_000.0);
        var source = Corpus.File(side, side, progressive);
        Console.WriteLine($"source: {side}×{side} ({side * (long)side / 1e6:0.0} MP) {(progressive ? "progressive" : "baseline")} JPEG, {new FileInfo(source).Length / 1e6:0.0} MB");

        await using var server = await ServerProcess.StartAsync(18123);
        await WarmUpAsync(server);

        var (uploadPeak, uploadTime) = await Measure(server, async () =>
        {
            using var form = new MultipartFormDataContent();
            await using var file = File.OpenRead(source);
            form.Add(new StreamContent(file), "asset", "big.jpg");
            (await server.Client.PostAsync("/assets/bench/big", form)).EnsureSuccessStatusCode();
        });
        var (variantPeak, variantTime) = await Measure(server, async () =>
        {
            var response = await server.Client.GetAsync("/assets/bench/big/-/content?w=800&format=webp");
            response.EnsureSuccessStatusCode();
            var bytes = await response.Content.ReadAsByteArrayAsync();
            using var image = Image.NewFromBuffer(bytes);
            if (image.Width != 800) throw new InvalidOperationException($"expected 800 px, got {image.Width}");
        });

        Console.WriteLine("| step | peak RSS growth | time |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| upload (spool, probe, verify, store) | {uploadPeak / 1e6:0} MB | {uploadTime.TotalSeconds:0.00} s |");
        Console.WriteLine($"| 800 px WebP variant | {variantPeak / 1e6:0} MB | {variantTime.TotalSeconds:0.00} s |");
        return 0;
    }

    private static async Task<(long PeakGrowth, TimeSpan Time)> Measure(ServerProcess server, Func<Task> step)
    {
        server.ResetPeak();
        var before = server.ResidentBytes;
        var clock = Stopwatch.StartNew();
        await step();
        return (server.PeakResidentBytes - before, clock.Elapsed);
    }

    private static async Task WarmUpAsync(ServerProcess server)
    {
        using var small = Image.Black(64, 64, bands: 3) + 100;
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(small.Cast(Enums.BandFormat.Uchar).JpegsaveBuffer());
        part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(part, "asset", "warm.jpg");
        (await server.Client.PostAsync("/assets/bench/warm", form)).EnsureSuccessStatusCode();
        (await server.Client.GetAsync("/assets/bench/warm/-/content?w=32&format=webp")).EnsureSuccessStatusCode();
    }
}
