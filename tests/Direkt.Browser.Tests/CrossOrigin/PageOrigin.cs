using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Direkt.Browser.Tests.CrossOrigin;

/// <summary>
/// A second, tiny web server on its own port — the web application's origin: it serves the test page, the built JS client
/// (clients/js/dist) and the image the page uploads. Direkt runs on another origin.
/// </summary>
internal sealed class PageOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PageOrigin(WebApplication app, string origin)
    {
        _app = app;
        Origin = origin;
    }

    /// <summary>"http://localhost:{port}": another host name and port than Direkt's 127.0.0.1, so every request to Direkt is cross-origin.</summary>
    public string Origin { get; }

    public static async Task<PageOrigin> StartAsync(int port, string page, byte[] image)
    {
        var dist = RepositoryRoot.File("clients/js/dist");
        if (!File.Exists(Path.Combine(dist, "index.js")))
            throw new InvalidOperationException($"{dist}/index.js is missing: build the JS client first (cd clients/js && npm ci && npm run build; scripts/test does)");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        app.MapGet("/photo.png", () => Results.Bytes(image, "image/png"));
        app.MapGet("/client/{file}", (string file) =>
        {
            var path = Path.Combine(dist, Path.GetFileName(file));
            return file.EndsWith(".js", StringComparison.Ordinal) && File.Exists(path)
                ? Results.File(path, "text/javascript; charset=utf-8")
                : Results.NotFound();
        });
        await app.StartAsync();
        return new PageOrigin(app, $"http://localhost:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
