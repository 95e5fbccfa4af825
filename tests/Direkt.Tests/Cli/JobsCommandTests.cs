using System.Diagnostics;
using System.Net;
using Direkt.Tests.Support;

namespace Direkt.Tests.Cli;

/// <summary>`Direkt jobs …` as a real process against a running server.</summary>
public sealed class JobsCommandTests
{
    private const string ApiKey = "cli-key-0123456789abcdef";

    private static async Task<(int Exit, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Direkt.dll"));
        foreach (var argument in args) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Jobs_start_and_watch_run_a_job_to_done_against_a_running_server()
    {
        await using var server = await DirektTestServer.StartAsync($$"""
            variant-profiles.tiny { w = 16, format = png }
            auth.api-keys = ["{{ApiKey}}"]
            """);
        server.Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
        for (var i = 0; i < 5; i++)
            (await server.Client.PostAsync($"/cli/a{i}", TestImages.Png(32, 32))).StatusCode.Should().Be(HttpStatusCode.Created);
        var url = server.Client.BaseAddress!.ToString();
        var key = new Dictionary<string, string> { ["DIREKTCLI_API_KEY"] = ApiKey };

        var start = await RunAsync(key, "jobs", "start", "--kind", "pregenerate", "--path", "/cli/**", "--profile", "tiny", "--url", url);
        start.Exit.Should().Be(0, start.Error);
        var id = start.Output.Trim();
        id.Should().MatchRegex("^[0-9a-f]{32}$");

        var watch = await RunAsync(key, "jobs", "watch", id, "--url", url);
        watch.Exit.Should().Be(0, watch.Error);
        watch.Output.TrimEnd().Split('\n')[^1].Should().Contain($"{id} pregenerate /cli/** done 5/5 (done 5, skipped 0, failed 0)");
        (await server.Client.GetAsync("/assets/cli/a3/-/content?profile=tiny")).Headers.GetValues("Cache-Status").Single().Should().Be("direkt; hit");

        var list = await RunAsync(null, "jobs", "list", "--url", url, "--api-key", ApiKey);
        list.Exit.Should().Be(0, list.Error);
        list.Output.Should().Contain($"{id} pregenerate /cli/** done");

        var unauthorized = await RunAsync(null, "jobs", "list", "--url", url);
        unauthorized.Exit.Should().Be(1);
        unauthorized.Error.Should().Contain("401");
        var invalid = await RunAsync(key, "jobs", "start", "--kind", "shrink", "--path", "/cli/**", "--url", url);
        invalid.Exit.Should().Be(1);
        invalid.Error.Should().Contain("400").And.Contain("kind");
        var usage = await RunAsync(null, "jobs", "start", "--kind", "purge", "--bogus", "--url", url);
        usage.Exit.Should().Be(2);
        usage.Error.Should().Contain("unknown option '--bogus'");
        (await RunAsync(null, "jobs", "--help")).Output.Should().Contain("Direkt jobs start");
    }
}
