using System.Net;
using Direkt.Configuration.Loading;
using Direkt.Scheduling;
using Direkt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Direkt.Tests.Configuration;

/// <summary>CONFIG.md: profiles, paths, url-signing and synchronous-priority change while running; invalid edits are refused.</summary>
public sealed class ConfigurationReloadTests : IAsyncLifetime
{
    private readonly ConfigurationFiles _files = new();
    private string _config = null!;
    private DirektTestServer _server = null!;

    private const string Initial = """
        variant-profiles { small { w = 40, format = png } }
        variant-generation.synchronous-priority = 80
        """;

    public async Task InitializeAsync()
    {
        _config = _files.Write("direkt.conf", Initial);
        _server = await DirektTestServer.StartAsync(configFile: _config);
        await _server.Client.PostAsync("/r/photo", TestImages.Jpeg(200, 100));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _files.Dispose();
    }

    private Task<ReloadResult> Reload() =>
        _server.Services.GetServices<IHostedService>().OfType<ConfigurationReloadService>().Single().ReloadNowAsync();

    private DirektConfiguration Current => _server.Services.GetRequiredService<DirektConfigurationMonitor>().Current;

    [Fact]
    public async Task Profiles_paths_signing_and_priority_take_effect_without_a_restart()
    {
        (await _server.Client.GetAsync("/assets/r/photo/-/content?profile=tiny")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        File.WriteAllText(_config, """
            variant-profiles { small { w = 40, format = png }, tiny { w = 10, format = png } }
            variant-generation.synchronous-priority = 60
            paths { "/r/**" { cache-control { enabled = true, max-age = 77 } } }
            url-signing { enabled = true, secret-key = "reloaded-secret" }
            """);
        var result = await Reload();

        result.Problem.Should().BeNull("the edit is valid (the polling loop may have applied it first)");
        _server.Services.GetRequiredService<WorkerPool>().SynchronousPriority.Should().Be(60);
        var signer = new Direkt.Http.Access.UrlSigner("reloaded-secret", "hmac_sha256");
        var tiny = await _server.Client.GetAsync(signer.Sign("/assets/r/photo/-/content?profile=tiny"));
        tiny.StatusCode.Should().Be(HttpStatusCode.OK);
        Pixels.Size(await tiny.Content.ReadAsByteArrayAsync()).Width.Should().Be(10);
        tiny.Headers.CacheControl!.MaxAge.Should().Be(TimeSpan.FromSeconds(77));
        (await _server.Client.GetAsync("/assets/r/photo/-/content")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_invalid_edit_is_refused_and_the_running_configuration_kept()
    {
        var before = Current;
        File.WriteAllText(_config, """paths { "/r/**" { transform.eager-variants = [missing] } }""");
        var unknownProfile = await Reload();
        File.WriteAllText(_config, """variant-profiles { small { w = huge } }""");
        var badParameter = await Reload();

        unknownProfile.Applied.Should().BeFalse();
        unknownProfile.Problem.Should().Contain("missing");
        badParameter.Applied.Should().BeFalse();
        badParameter.Problem.Should().Contain("variant-profiles.small.w", "profiles are checked against the loaded libvips too");
        Current.Should().BeSameAs(before);
        (await _server.Client.GetAsync("/assets/r/photo/-/content?profile=small")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Keys_that_need_a_restart_are_reported_and_not_applied()
    {
        File.WriteAllText(_config, Initial + "\nvariant-generation.queue-size = 7\nlimits.max-output-dimension = 4000\n");

        var result = await Reload();

        result.NeedRestart.Should().BeEquivalentTo("variant-generation.queue-size", "limits.max-output-dimension");
        Current.Options.VariantGeneration.QueueSize.Should().NotBe(7);
        Current.Options.Limits.MaxOutputDimension.Should().Be(8192);
    }

    [Fact]
    public async Task The_running_server_notices_a_changed_file_by_itself()
    {
        File.WriteAllText(_config, Initial + "\nvariant-profiles.tiny { w = 12, format = png }\n");

        await UpdateAndDeleteTestsProxy.Eventually(() => Current.Options.VariantProfiles.ContainsKey("tiny"), "the file is polled");

        (await _server.Client.GetAsync("/assets/r/photo/-/content?profile=tiny")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static class UpdateAndDeleteTestsProxy
    {
        public static Task Eventually(Func<bool> condition, string what) => Http.UpdateAndDeleteTests.Eventually(condition, what);
    }
}

/// <summary>The expiry reaper follows reloads (issue 12): off at start, switched on while running, it starts reaping.</summary>
public sealed class ExpiryReloadTests
{
    [Fact]
    public async Task A_reload_that_switches_expiry_on_starts_the_reaper()
    {
        using var files = new ConfigurationFiles();
        var config = files.Write("direkt.conf", "");
        await using var server = await DirektTestServer.StartAsync(configFile: config);
        await server.Client.PostAsync("/later/a", TestImages.Jpeg(100, 80));
        (await server.Client.GetAsync("/assets/later/a/-/content?w=20")).StatusCode.Should().Be(HttpStatusCode.OK);
        server.StoredFiles().Should().HaveCount(2, "the original and its variant");

        File.WriteAllText(config, """paths { "/**" { transform.expire { strategy = ttl, ttl = 1s } } }""");
        (await server.Services.GetServices<IHostedService>().OfType<ConfigurationReloadService>().Single().ReloadNowAsync()).Problem.Should().BeNull();

        await Direkt.Tests.Http.UpdateAndDeleteTests.Eventually(() => server.StoredFiles().Count == 1,
            "the reaper started after the reload and removed the variant's object");
    }
}
