using System.Diagnostics;
using System.Net;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>
/// What the Docker image runs: `dotnet Direkt.dll` from the published folder (scripts/test publishes it once into
/// artifacts/publish), with the embedded defaults and a fresh data folder as its working directory.
/// </summary>
public sealed class PublishedFolderTests
{
    [Fact]
    public async Task The_published_folder_starts_serves_health_stores_an_upload_makes_a_variant_and_stops_on_sigterm()
    {
        var dll = Path.Combine(TestEnvironment.PublishedServer, "Direkt.dll");
        File.Exists(dll).Should().BeTrue($"scripts/test publishes the server to {TestEnvironment.PublishedServer}");
        using var folder = new ConfigurationFiles();
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = folder.Folder };
        start.ArgumentList.Add(dll);
        start.Environment["DIREKT_HTTP__PORT"] = port.ToString();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await Health.WaitAsync(client);
            var jpeg = TestImages.Jpeg(90, 60);

            (await client.PostAsync("/assets/published/x", Uploads.Form(jpeg))).StatusCode.Should().Be(HttpStatusCode.Created);
            var original = await client.GetByteArrayAsync("/assets/published/x/-/content");
            var variant = await client.GetAsync("/assets/published/x/-/content?w=30&format=webp");

            original.Should().Equal(jpeg);
            variant.StatusCode.Should().Be(HttpStatusCode.OK);
            variant.Content.Headers.ContentType!.MediaType.Should().Be("image/webp");
            using var image = NetVips.Image.NewFromBuffer(await variant.Content.ReadAsByteArrayAsync());
            (image.Width, image.Height).Should().Be((30, 20));
            File.Exists(Path.Combine(folder.Folder, "data", "direkt.db")).Should().BeTrue("the embedded defaults keep data under data/");
        }
        finally
        {
            if (!process.HasExited) Process.Start("kill", ["-TERM", process.Id.ToString()]).WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
        }
        process.ExitCode.Should().Be(0, await stdout + await stderr);
    }
}
