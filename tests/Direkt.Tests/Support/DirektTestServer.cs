using System.Net;
using System.Text.Json;
using Direkt.Configuration.Loading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Support;

/// <summary>
/// A real Direkt server on Kestrel at 127.0.0.1 and a free port, with the shipped config/direkt.conf, embedded stores in a
/// temporary data folder, and optional extra HOCON. Tests talk to it over real HTTP.
/// </summary>
public sealed class DirektTestServer : IAsyncDisposable
{
    public const string PublicUrl = "http://direkt.test";

    private readonly WebApplication _app;
    private readonly bool _ownsData;

    private DirektTestServer(WebApplication app, string dataFolder, bool ownsData, Uri address)
    {
        _app = app;
        _ownsData = ownsData;
        DataFolder = dataFolder;
        Client = new HttpClient { BaseAddress = address };
    }

    public HttpClient Client { get; }
    public string DataFolder { get; }
    public IServiceProvider Services => _app.Services;
    public string ObjectsFolder => Path.Combine(DataFolder, "objects");
    public string SpoolFolder => Path.Combine(DataFolder, "spool");

    /// <summary>Uploads waiting in the spool folder; empty once every request has finished.</summary>
    public IReadOnlyList<string> SpooledFiles() =>
        Directory.Exists(SpoolFolder) ? Directory.GetFiles(SpoolFolder) : [];

    public static async Task<DirektTestServer> StartAsync(
        string? extraConfiguration = null, string? dataFolder = null, Action<IServiceCollection>? services = null, string? configFile = null,
        TextWriter? log = null, Action<WebApplication>? afterPrepare = null)
    {
        var ownsData = dataFolder is null;
        dataFolder ??= Directory.CreateTempSubdirectory("direkt-test-").FullName;
        var overrides = $"""
            http.port = 0
            http.public-url = "{PublicUrl}"
            data-store.sqlite.path = {JsonSerializer.Serialize(Path.Combine(dataFolder, "direkt.db"))}
            object-store.filesystem.root = {JsonSerializer.Serialize(Path.Combine(dataFolder, "objects"))}
            {extraConfiguration}
            """;
        var app = DirektServer.Build(new DirektServerOptions
        {
            Configuration = new ConfigurationSource
            {
                FilePath = configFile ?? RepositoryRoot.File("config/direkt.conf"),
                Environment = new Dictionary<string, string>(),
                Overrides = overrides,
            },
            ListenAddress = IPAddress.Loopback,
            LogOutput = log,
            ConfigureServices = registrations =>
            {
                registrations.AddSingleton(new Direkt.Assets.SpoolLocation(Path.Combine(dataFolder, "spool")));
                registrations.AddSingleton(new Direkt.Variants.VariantWorkspace(Path.Combine(dataFolder, "work")));
                services?.Invoke(registrations);
            },
        });
        await DirektServer.PrepareAsync(app);
        afterPrepare?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DirektTestServer(app, dataFolder, ownsData, new Uri(address));
    }

    /// <summary>Stops the host as SIGTERM does (draining, then the hosted services and Kestrel); DisposeAsync afterwards is fine.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsData)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Every file below the objects folder, relative, for "nothing was stored" checks.</summary>
    public IReadOnlyList<string> StoredFiles() =>
        Directory.Exists(ObjectsFolder)
            ? Directory.GetFiles(ObjectsFolder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(ObjectsFolder, f)).ToList()
            : [];
}
