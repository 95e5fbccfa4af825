using System.Net;
using Direkt.Assets;
using Direkt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

/// <summary>
/// A full temporary disk while an upload is spooled is 507 insufficient-storage and loses nothing: the spool file is written
/// to /dev/full (the kernel's real ENOSPC) through the spool seam; the asset already at the path stays as it was.
/// </summary>
public sealed class FullDiskTests
{
    [Fact]
    public async Task A_full_spool_disk_is_507_and_the_stored_asset_is_untouched()
    {
        var full = false;
        await using var server = await DirektTestServer.StartAsync(services: s =>
        {
            var folder = Directory.CreateTempSubdirectory("direkt-spool-").FullName;
            var normal = new SpoolLocation(folder);
            s.AddSingleton(normal with
            {
                Create = path => full
                    ? new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 4096, FileOptions.Asynchronous)
                    : normal.Create(path),
            });
        });
        var first = TestImages.Png(40, 30);
        (await server.Client.PostAsync("/disk/x", first)).StatusCode.Should().Be(HttpStatusCode.Created);

        full = true;
        var refused = await server.Client.PostAsync("/disk/x", TestImages.Jpeg(400, 300));

        refused.StatusCode.Should().Be((HttpStatusCode)507, await refused.Content.ReadAsStringAsync());
        (await refused.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:insufficient-storage");
        (await server.Client.GetByteArrayAsync("/assets/disk/x/-/content")).Should().Equal(first);
        server.StoredFiles().Should().ContainSingle(f => f.Contains("originals"));

        full = false;
        (await server.Client.PostAsync("/disk/x", TestImages.Jpeg(400, 300))).StatusCode.Should().Be(HttpStatusCode.Created);
    }
}
