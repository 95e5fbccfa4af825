using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Direkt.Benchmarks.SideBySide;

/// <summary>
/// The bare Kestrel reference for hits: UseStaticFiles over the variant files, no logging, nothing else. Kestrel has no
/// true sendfile (it copies through user space), so this shows what ASP.NET Core itself costs, next to nginx.
/// Run as its own process: <c>Direkt.Benchmarks static-files ROOT PORT</c>.
/// </summary>
internal static class StaticFileServer
{
    public static async Task<int> RunAsync(string root, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(root) });
        await app.RunAsync();
        return 0;
    }
}
