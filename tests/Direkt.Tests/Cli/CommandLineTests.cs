using System.Diagnostics;
using Direkt.Tests.Support;
using Direkt.TestServices;

namespace Direkt.Tests.Cli;

/// <summary>The executable's verbs, run as real processes.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly ConfigurationFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static async Task<(int Exit, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(), // no config/direkt.conf there: the built-in defaults
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
    public async Task Help_lists_every_verb_and_unknown_verbs_or_options_never_start_a_server()
    {
        var help = await RunAsync(null, "--help");
        help.Exit.Should().Be(0);
        foreach (var verb in new[] { "serve", "config", "migrate", "health-check", "sign", "token", "version" })
            help.Output.Should().Contain($"  {verb}");
        (await RunAsync(null, "migrate", "--help")).Output.Should().Contain("usage: Direkt migrate");

        var unknownVerb = await RunAsync(null, "srve");
        unknownVerb.Exit.Should().Be(2);
        unknownVerb.Error.Should().Contain("unknown command 'srve'");
        var unknownOption = await RunAsync(null, "--port", "9000");
        unknownOption.Exit.Should().Be(2);
        unknownOption.Error.Should().Contain("unknown option '--port'");
        unknownOption.Output.Should().NotContain("Now listening");
    }

    [Fact]
    public async Task Config_check_validates_and_prints_the_policy_that_applies_to_a_path()
    {
        var config = _files.Write("direkt.conf", """
            paths {
              "/**" { cache-control { max-age = 3600 } }
              "/users/**" { allowed-content-types = [jpg], cache-control { max-age = 300 } }
            }
            """);

        var check = await RunAsync(null, "config", "check", "--config", config, "--path", "/users/7/avatar");

        check.Exit.Should().Be(0, check.Error);
        check.Output.Should().Contain($"{config}: valid").And.Contain("matches \"/**\", \"/users/**\"");
        var json = check.Output[check.Output.IndexOf('{')..];
        var policy = System.Text.Json.JsonDocument.Parse(json).RootElement;
        policy.GetProperty("allowed-content-types")[0].GetString().Should().Be("jpg");
        policy.GetProperty("cache-control").GetProperty("max-age").GetInt32().Should().Be(300);

        var bad = await RunAsync(null, "config", "check", "--config", _files.Write("bad.conf", "variant-generation.workers = many"));
        bad.Exit.Should().Be(2);
        bad.Error.Should().Contain("variant-generation.workers");
    }

    [Fact]
    public async Task Health_check_follows_the_configured_port()
    {
        await using var server = await DirektTestServer.StartAsync();
        var port = server.Client.BaseAddress!.Port.ToString();

        (await RunAsync(new Dictionary<string, string> { ["DIREKT_HTTP__PORT"] = port }, "health-check")).Exit.Should().Be(0);
        var elsewhere = await RunAsync(new Dictionary<string, string> { ["DIREKT_HTTP__PORT"] = LoopbackPorts.Free().ToString() }, "health-check");
        elsewhere.Exit.Should().Be(1);
        elsewhere.Error.Should().Contain("/health");
        (await RunAsync(null, "health-check", $"http://127.0.0.1:{port}/health")).Exit.Should().Be(0);
    }

    [Fact]
    public async Task Migrate_creates_the_schema_and_exits_and_version_names_libvips()
    {
        var database = Path.Combine(_files.Folder, "fresh.db");
        var config = _files.Write("migrate.conf", $"data-store.sqlite.path = {System.Text.Json.JsonSerializer.Serialize(database)}");

        var migrate = await RunAsync(null, "migrate", "--config", config);

        migrate.Exit.Should().Be(0, migrate.Error);
        File.Exists(database).Should().BeTrue();
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table'";
            ((long)(await command.ExecuteScalarAsync())!).Should().BeGreaterThan(2);
        }
        var version = await RunAsync(null, "version");
        version.Exit.Should().Be(0);
        version.Output.Should().MatchRegex(@"Direkt \S+\nlibvips 8\.\d+\.\d+ \((bundled|system)[^)\n]*\)\n\.NET 10\.");
    }

    [Fact]
    public async Task Token_prints_an_upload_token_the_server_takes()
    {
        var environment = new Dictionary<string, string> { ["DIREKT_AUTH__UPLOAD_TOKENS__SECRET_KEY"] = Access.UploadTokenTests.TokenKey };
        var minted = await RunAsync(environment, "token", "--path", "/cli/**", "--expires-in", "300", "--max-bytes", "100000",
            "--type", "image/png", "--type", "image/jpeg");
        minted.Exit.Should().Be(0, minted.Error);
        var token = minted.Output.Trim();

        var claims = new Direkt.Http.Access.UploadTokens(Access.UploadTokenTests.TokenKey).Verify(token, DateTimeOffset.UtcNow, out _)!;
        claims.Subject.Should().Be("/cli/**");
        claims.ExpiresAt.Should().BeCloseTo(DateTimeOffset.UtcNow.AddSeconds(300).ToUnixTimeSeconds(), 10);
        claims.MaxBytes.Should().Be(100000);
        claims.Types.Should().Equal("image/png", "image/jpeg");
        await using (var server = await DirektTestServer.StartAsync(
            $"auth.upload-tokens.secret-key = \"{Access.UploadTokenTests.TokenKey}\"\nauth.api-keys = [\"{Access.UploadTokenTests.ApiKey}\"]"))
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/assets/cli/photo") { Content = Uploads.Form(TestImages.Png(10, 10)) };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            (await server.Client.SendAsync(request)).StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
        }

        var off = await RunAsync(null, "token", "--path", "/cli/**");
        off.Exit.Should().Be(2);
        off.Error.Should().Contain("auth.upload-tokens.secret-key is not set");
        var badPath = await RunAsync(environment, "token", "--path", "cli");
        badPath.Exit.Should().Be(2);
        badPath.Error.Should().Contain("--path");
        (await RunAsync(environment, "token", "--path", "/a", "--expires-in", "soon")).Error.Should().Contain("--expires-in must be a whole number");
        (await RunAsync(null, "sign", "--type", "image/png", "/assets/a")).Error.Should().Contain("unknown option '--type'");
    }
}
