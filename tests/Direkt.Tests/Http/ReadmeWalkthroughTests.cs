using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>Runs the curl walk-through of README.md verbatim against a real server.</summary>
public sealed partial class ReadmeWalkthroughTests
{
    [Fact]
    public async Task The_readme_walkthrough_works_as_written()
    {
        var commands = WalkthroughCommands();
        commands.Should().HaveCount(5).And.OnlyContain(c => c.StartsWith("curl "));

        // The README talks to localhost:8080; curl is pointed at the test server by a curlrc, leaving the commands untouched.
        await using var server = await DirektTestServer.StartAsync("""http.public-url = "http://localhost:8080" """);
        using var work = new ConfigurationFiles();
        Directory.CreateDirectory(Path.Combine(work.Folder, "tests/fixtures"));
        File.Copy(RepositoryRoot.File("tests/fixtures/avatar.jpg"), Path.Combine(work.Folder, "tests/fixtures/avatar.jpg"));
        work.Write(".curlrc", $"connect-to = localhost:8080:127.0.0.1:{server.Client.BaseAddress!.Port}\n");

        var outputs = new List<string>();
        foreach (var command in commands)
        {
            var (exit, output) = await BashAsync(command, work.Folder);
            exit.Should().Be(0, $"`{command}` failed: {output}");
            outputs.Add(output);
        }

        var fixture = await File.ReadAllBytesAsync(RepositoryRoot.File("tests/fixtures/avatar.jpg"));
        var stored = JsonDocument.Parse(outputs[0]).RootElement;
        stored.GetProperty("entryId").GetInt64().Should().Be(0);
        stored.GetProperty("alt").GetString().Should().Be("Ada Lovelace");
        JsonDocument.Parse(outputs[1]).RootElement.GetProperty("url").GetString()
            .Should().Be("http://localhost:8080/assets/users/123/avatar/-/entry/0/content");
        (await File.ReadAllBytesAsync(Path.Combine(work.Folder, "avatar.jpg"))).Should().Equal(fixture);
        var info = JsonDocument.Parse(outputs[3]).RootElement;
        info.GetProperty("variants")[0].GetProperty("attributes").GetProperty("bytes").GetInt64().Should().Be(fixture.Length);
        outputs[4].Should().StartWith("HTTP/1.1 200").And.Contain("Content-Type: image/jpeg")
            .And.Contain($"Content-Length: {fixture.Length}");
    }

    private static IReadOnlyList<string> WalkthroughCommands()
    {
        var readme = File.ReadAllText(RepositoryRoot.File("README.md"));
        var block = WalkthroughBlock().Match(readme);
        block.Success.Should().BeTrue("README.md has a ```sh block after <!-- walkthrough -->");
        return block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static async Task<(int, string)> BashAsync(string command, string folder)
    {
        var start = new ProcessStartInfo("bash", ["-c", command])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CURL_HOME"] = folder;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }

    [GeneratedRegex(@"<!-- walkthrough -->\s*```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex WalkthroughBlock();
}
