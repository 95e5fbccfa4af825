using System.Diagnostics;
using System.Net;
using System.Text;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>
/// HEIC and JPEG XL: the build on Debian's libvips (`-p:DirektLibvips=system`, made by scripts/test into
/// artifacts/system-libvips) runs as a real process and reads and writes them; the default build (bundled libvips, which has
/// neither an HEVC nor a JPEG XL codec) refuses them naming the missing codec. The inputs are made by the system's `vips`
/// command, as a phone's HEIC would be by its camera. Missing prerequisites fail the test: they are part of CI.
/// </summary>
public sealed class SystemLibvipsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("direkt-system-libvips-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task The_system_libvips_build_reads_heic_and_jpeg_xl_and_writes_jpeg_xl()
    {
        var heic = Convert("photo.heic");
        var jxl = Convert("photo.jxl");
        var output = new StringBuilder();
        var port = LoopbackPorts.Free();
        using var process = StartSystemBuild(port, output);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
            await Health.WaitAsync(client);
            lock (output) output.ToString().Should().Contain("system: /", "the start-up log names the system libvips the process loaded")
                .And.NotContain(AppContext.BaseDirectory);

            var created = await client.PostAsync("/phone/photo", heic);
            created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            var info = await (await client.GetAsync("/assets/phone/photo/-/info")).JsonAsync();
            info.GetProperty("variants")[0].GetProperty("attributes").GetProperty("format").GetString().Should().Be("heic");

            foreach (var (format, type) in new[] { ("jpg", "image/jpeg"), ("webp", "image/webp") })
            {
                var response = await client.GetAsync($"/assets/phone/photo/-/content?w=100&format={format}");
                response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
                response.Content.Headers.ContentType!.MediaType.Should().Be(type);
                LooksLikeTheSource(await response.Content.ReadAsByteArrayAsync(), 100);
            }

            var jxlOut = await client.GetAsync("/assets/phone/photo/-/content?w=100&format=jxl");
            jxlOut.StatusCode.Should().Be(HttpStatusCode.OK, await jxlOut.Content.ReadAsStringAsync());
            jxlOut.Content.Headers.ContentType!.MediaType.Should().Be("image/jxl");
            // The JPEG XL it wrote decodes: uploaded again, it is read, and its PNG shows the same picture.
            (await client.PostAsync("/phone/again", await jxlOut.Content.ReadAsByteArrayAsync())).StatusCode.Should().Be(HttpStatusCode.Created);
            LooksLikeTheSource(await client.GetByteArrayAsync("/assets/phone/again/-/content?format=png"), 100);

            (await client.PostAsync("/phone/jxl", jxl)).StatusCode.Should().Be(HttpStatusCode.Created);
            LooksLikeTheSource(await client.GetByteArrayAsync("/assets/phone/jxl/-/content?w=50&format=png"), 50);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task The_default_build_refuses_heic_naming_the_missing_decoder_and_jxl_output_naming_the_encoder()
    {
        var heic = Convert("photo.heic");
        await using var server = await DirektTestServer.StartAsync();

        var refused = await server.Client.PostAsync("/phone/photo", heic);

        refused.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        var problem = await refused.JsonAsync();
        problem.GetProperty("type").GetString().Should().Be("urn:direkt:problem:missing-decoder");
        problem.GetProperty("detail").GetString().Should().Contain("image/heic").And.Contain("HEIF/HEVC").And.Contain("-p:DirektLibvips=system");
        server.StoredFiles().Should().BeEmpty();

        (await server.Client.PostAsync("/phone/jpeg", TestImages.Jpeg(40, 30))).StatusCode.Should().Be(HttpStatusCode.Created);
        var jxl = await server.Client.GetAsync("/assets/phone/jpeg/-/content?format=jxl");
        jxl.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await jxl.Content.ReadAsStringAsync()).Should().Contain("JPEG XL").And.Contain("jxlsave");
    }

    // The source: a 300 × 150 left-to-right gradient (dark to bright), written as JPEG and converted by the vips command.
    private byte[] Convert(string name)
    {
        var source = Path.Combine(_folder.FullName, "source.jpg");
        if (!File.Exists(source)) File.WriteAllBytes(source, TestImages.Jpeg(300, 150));
        var target = Path.Combine(_folder.FullName, name);
        var vips = new ProcessStartInfo("vips") { RedirectStandardError = true };
        foreach (var argument in new[] { "copy", source, target }) vips.ArgumentList.Add(argument);
        Process? run;
        try { run = Process.Start(vips); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The vips command (Debian: libvips-tools) is required; scripts/test installs it.", e);
        }
        run!.WaitForExit();
        run.ExitCode.Should().Be(0, run.StandardError.ReadToEnd());
        return File.ReadAllBytes(target);
    }

    private Process StartSystemBuild(int port, StringBuilder output)
    {
        var dll = RepositoryRoot.File("artifacts/system-libvips/Direkt.dll");
        File.Exists(dll).Should().BeTrue($"scripts/test builds {dll} with -p:DirektLibvips=system (docs/deploy.md)");
        File.Exists(Path.Combine(Path.GetDirectoryName(dll)!, "runtimes", "linux-x64", "native", "libvips.so.42")).Should()
            .BeFalse("the system build ships no libvips of its own");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = _folder.FullName };
        start.ArgumentList.Add(dll);
        start.Environment["DIREKT_HTTP__PORT"] = port.ToString();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void LooksLikeTheSource(byte[] image, int width)
    {
        Pixels.Size(image).Should().Be((width, width / 2));
        var left = Pixels.At(image, 2, width / 4)[0];
        var right = Pixels.At(image, width - 3, width / 4)[0];
        right.Should().BeGreaterThan(left + 100, "the gradient runs dark to bright, left to right");
    }
}
