using System.Diagnostics;
using System.Net;
using Direkt.Storage.Objects;
using Direkt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

public sealed class OperationsTests
{
    [Fact]
    public async Task Every_response_carries_a_request_id_and_a_sane_client_id_is_echoed()
    {
        await using var server = await DirektTestServer.StartAsync();

        var generated = await server.Client.GetAsync("/health");
        var request = new HttpRequestMessage(HttpMethod.Get, "/assets/missing");
        request.Headers.Add("X-Request-Id", "client-chosen-42");
        var echoed = await server.Client.SendAsync(request);
        var insane = new HttpRequestMessage(HttpMethod.Get, "/health");
        insane.Headers.TryAddWithoutValidation("X-Request-Id", new string('x', 200));
        var replaced = await server.Client.SendAsync(insane);

        generated.Headers.GetValues("X-Request-Id").Single().Should().MatchRegex("^[0-9a-f]{32}$");
        echoed.Headers.GetValues("X-Request-Id").Single().Should().Be("client-chosen-42");
        (await echoed.JsonAsync()).GetProperty("requestId").GetString().Should().Be("client-chosen-42");
        replaced.Headers.GetValues("X-Request-Id").Single().Should().HaveLength(32);
    }

    [Fact]
    public async Task Health_and_ready_answer_200_when_the_stores_work()
    {
        await using var server = await DirektTestServer.StartAsync();

        (await server.Client.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK);
        var ready = await server.Client.GetAsync("/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ready.JsonAsync()).GetProperty("status").GetString().Should().Be("ready");
    }

    [Fact]
    public async Task A_store_outage_is_503_with_retry_after_and_recovers_without_a_restart()
    {
        SwitchableObjectStore? store = null;
        await using var server = await DirektTestServer.StartAsync(services: s => s.AddSingleton<IObjectStore>(provider =>
            store = new SwitchableObjectStore(new FileSystemObjectStore(
                provider.GetRequiredService<Direkt.Configuration.Loading.DirektConfiguration>().Options.ObjectStore.Filesystem.Root))));
        var png = TestImages.Png(6, 6);
        (await server.Client.PostAsync("/o/x", png)).StatusCode.Should().Be(HttpStatusCode.Created);

        store!.Down = true;
        var upload = await server.Client.PostAsync("/o/x", TestImages.Png(7, 7));
        var read = await server.Client.GetAsync("/assets/o/x/-/content");
        var ready = await server.Client.GetAsync("/ready");

        foreach (var response in new[] { upload, read, ready })
        {
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter!.Delta.Should().BePositive();
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }
        (await upload.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:store-unavailable");
        (await read.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:store-unavailable");
        (await ready.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:not-ready");
        (await server.Client.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK);

        store.Down = false;
        (await server.Client.GetAsync("/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await server.Client.GetByteArrayAsync("/assets/o/x/-/content")).Should().Equal(png);
        // The upload that failed during the outage left no record behind.
        var all = await (await server.Client.GetAsync("/assets/o/x/-/info?limit=-1")).JsonAsync();
        all.GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Assets_survive_a_restart_on_the_same_data_folder()
    {
        var data = Directory.CreateTempSubdirectory("direkt-restart-").FullName;
        var jpeg = TestImages.Jpeg(33, 22);
        try
        {
            await using (var first = await DirektTestServer.StartAsync(dataFolder: data))
                (await first.Client.PostAsync("/keep/me", jpeg)).StatusCode.Should().Be(HttpStatusCode.Created);

            await using var second = await DirektTestServer.StartAsync(dataFolder: data);
            (await second.Client.GetByteArrayAsync("/assets/keep/me/-/content")).Should().Equal(jpeg);
            var next = await (await second.Client.PostAsync("/keep/me", jpeg)).JsonAsync();
            next.GetProperty("entryId").GetInt64().Should().Be(1);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task An_invalid_configuration_stops_the_executable_with_a_clear_message()
    {
        using var files = new ConfigurationFiles();
        var config = files.Write("bad.conf", "variant-generation {\n  workers = lots\n  synchronus-priority = 50\n}\n");

        var (exitCode, output) = await RunDirektAsync("--config", config);

        exitCode.Should().Be(2);
        output.Should().Contain("variant-generation.workers = \"lots\": must be a whole number")
            .And.Contain("variant-generation.synchronus-priority").And.Contain("did you mean 'synchronous-priority'")
            .And.Contain("bad.conf:2");
        output.Should().NotContain("   at ");
    }

    [Fact]
    public async Task Sigterm_stops_the_server_gracefully_with_exit_code_0()
    {
        using var folder = new ConfigurationFiles();
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = folder.Folder };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Direkt.dll"));
        start.Environment["DIREKT_HTTP__PORT"] = port.ToString();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Health.WaitAsync(client);
        (await client.PostAsync("/assets/term/x", Uploads.Form(TestImages.Png(8, 8)))).StatusCode.Should().Be(HttpStatusCode.Created);

        Process.Start("kill", ["-TERM", process.Id.ToString()]).WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        process.ExitCode.Should().Be(0);
        (await stdout + await stderr).Should().Contain("Draining: /ready answers 503 while running work finishes")
            .And.Contain("Worker pool stopped; 0 queued eager jobs dropped");
        File.Exists(Path.Combine(folder.Folder, "data", "direkt.db")).Should().BeTrue("the embedded defaults keep data under data/");
    }

    private static async Task<(int ExitCode, string Output)> RunDirektAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Direkt.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}

public sealed class StartupChecksTests
{
    [Theory]
    [InlineData("variant-profiles.bad { w = 0 }", "variant-profiles.bad.w")]
    [InlineData("variant-profiles.bad { format = jxl }", "variant-profiles.bad.format")]
    [InlineData("variant-profiles.bad { fit = crop, w = 10 }", "variant-profiles.bad.h")]
    [InlineData("""paths { "/x/**" { transform.negotiate = [webp, heic] } }""", "paths.\"/x/**\".transform.negotiate[1]")]
    public async Task Profiles_and_negotiation_lists_are_checked_against_the_loaded_libvips(string configuration, string key)
    {
        var act = () => DirektTestServer.StartAsync(configuration);

        (await act.Should().ThrowAsync<Direkt.Configuration.Loading.DirektConfigurationException>()).Which.Message.Should().Contain(key);
    }

    [Fact]
    public async Task A_generation_past_the_job_timeout_is_503()
    {
        // Fault injection: the variant write hangs until the job's deadline cancels it.
        GatedObjectStore? store = null;
        // Long enough for the upload's own probe on a cold machine, far shorter than a write that never ends.
        await using var server = await DirektTestServer.StartAsync("variant-generation.job-timeout = 3s",
            services: s => s.AddSingleton<IObjectStore>(provider => store = new GatedObjectStore(new FileSystemObjectStore(
                provider.GetRequiredService<Direkt.Configuration.Loading.DirektConfiguration>().Options.ObjectStore.Filesystem.Root))));
        (await server.Client.PostAsync("/slow/x", TestImages.Jpeg(160, 120))).StatusCode.Should().Be(HttpStatusCode.Created);
        store!.HoldVariantWrites();

        var response = await server.Client.GetAsync("/assets/slow/x/-/content?w=500&format=avif");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.Should().NotBeNull();
        (await response.JsonAsync()).GetProperty("detail").GetString().Should().Contain("longer than 3 s");
        (await response.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:job-timeout");
        store.ReleaseVariantWrites();
        (await server.Client.GetAsync("/assets/slow/x/-/content?w=50&format=avif")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
