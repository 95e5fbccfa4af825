using System.Net;
using Direkt.Assets;
using Direkt.Scheduling;
using Direkt.Storage.Objects;
using Direkt.Tests.Support;
using Direkt.Variants;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

/// <summary>
/// Temporary files are bounded (`limits.max-temporary-bytes`) and always removed: after an aborted upload, a failing
/// generation and a full disk during generation (a real ENOSPC from /dev/full) the temporary folders are empty again and
/// nothing stored is lost. Generation copies the original to a temporary file only for stores without local files, so the
/// filesystem store is wrapped (a wrapper has none).
/// </summary>
public sealed class TemporaryFileTests
{
    private sealed class Workspace
    {
        public string Folder { get; } = Directory.CreateTempSubdirectory("direkt-work-").FullName;
        public volatile bool Full;

        public void Register(IServiceCollection services)
        {
            var normal = new VariantWorkspace(Folder);
            services.AddSingleton(normal with
            {
                Create = path => Full
                    ? new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 4096, FileOptions.Asynchronous)
                    : normal.Create(path),
            });
            services.AddSingleton<IObjectStore>(provider => new GatedObjectStore(new FileSystemObjectStore(
                provider.GetRequiredService<Direkt.Configuration.Loading.DirektConfiguration>().Options.ObjectStore.Filesystem.Root)));
        }
    }

    [Fact]
    public async Task A_full_disk_during_generation_is_507_and_loses_nothing_and_a_failing_generation_leaves_no_file()
    {
        var workspace = new Workspace();
        await using var server = await DirektTestServer.StartAsync(services: workspace.Register);
        var space = server.Services.GetRequiredService<TemporarySpace>();
        (await server.Client.PostAsync("/tmp/photo", TestImages.Jpeg(200, 100))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await server.Client.PostAsync("/tmp/five", TestImages.FiveBandTiff(24, 18))).StatusCode.Should().Be(HttpStatusCode.Created);
        var stored = server.StoredFiles();

        workspace.Full = true;
        var full = await server.Client.GetAsync("/assets/tmp/photo/-/content?w=50");
        full.StatusCode.Should().Be((HttpStatusCode)507, await full.Content.ReadAsStringAsync());
        (await full.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:insufficient-storage");
        workspace.Full = false;

        var failing = await server.Client.GetAsync("/assets/tmp/five/-/content?filter=sepia&format=png");
        failing.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "libvips refuses sepia on five bands");

        Directory.GetFiles(workspace.Folder).Should().BeEmpty("every copy of an original is removed, whatever happened");
        space.InUse.Should().Be(0);
        server.StoredFiles().Should().BeEquivalentTo(stored, "nothing stored was lost or added");
        var served = await server.Client.GetAsync("/assets/tmp/photo/-/content?w=50");
        served.StatusCode.Should().Be(HttpStatusCode.OK, "the disk has room again: the same request works");
        Pixels.Size(await served.Content.ReadAsByteArrayAsync()).Should().Be((50, 25));
        Directory.GetFiles(workspace.Folder).Should().BeEmpty();
    }

    [Fact]
    public async Task An_aborted_upload_leaves_no_spool_file_and_no_reservation()
    {
        await using var server = await DirektTestServer.StartAsync();
        var space = server.Services.GetRequiredService<TemporarySpace>();
        var body = new AbortingContent(Noise(300, 300), () => server.SpooledFiles().Count == 1 && space.InUse > 0);

        var upload = () => server.Client.PostAsync("/assets/tmp/aborted", body);

        await upload.Should().ThrowAsync<HttpRequestException>();
        await UpdateAndDeleteTests.Eventually(() => server.SpooledFiles().Count == 0 && space.InUse == 0, "the spool file is removed");
        body.SawSpoolFile.Should().BeTrue("the upload was being spooled when the client went away");
        (await server.Client.GetAsync("/assets/tmp/aborted/-/info")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Uploads_past_the_temporary_bound_are_503_until_space_is_released()
    {
        await using var server = await DirektTestServer.StartAsync("""
            source.multipart.max-bytes = 1MB
            source.url.max-bytes = 1MB
            limits.max-temporary-bytes = 1MB
            """);
        var space = server.Services.GetRequiredService<TemporarySpace>();
        var large = Noise(500, 500); // noise does not compress: most of 1 MB
        large.Length.Should().BeInRange(600_000, 1_000_000);
        var release = new TaskCompletionSource();
        var first = server.Client.PostAsync("/assets/tmp/first", new HeldContent(large, large.Length - 1000, release.Task));
        await UpdateAndDeleteTests.Eventually(() => space.InUse >= large.Length - 1000 - 81920, "the first upload holds its bytes");

        var second = await server.Client.PostAsync("/tmp/second", large);

        second.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        second.Headers.RetryAfter.Should().NotBeNull();
        (await second.JsonAsync()).GetProperty("type").GetString().Should().Be("urn:direkt:problem:temporary-space-full");
        release.SetResult();
        (await first).StatusCode.Should().Be(HttpStatusCode.Created);
        space.InUse.Should().Be(0);
        (await server.Client.PostAsync("/tmp/second", large)).StatusCode.Should().Be(HttpStatusCode.Created);
        server.SpooledFiles().Should().BeEmpty();
    }

    private static byte[] Noise(int width, int height)
    {
        using var bands = NetVips.Image.Gaussnoise(width, height, sigma: 60).Bandjoin(NetVips.Image.Gaussnoise(width, height, sigma: 60),
            NetVips.Image.Gaussnoise(width, height, sigma: 60));
        using var rgb = bands.Cast(NetVips.Enums.BandFormat.Uchar).Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
        return rgb.PngsaveBuffer();
    }

    /// <summary>A multipart upload that sends half of itself, waits until the server spools it, then fails the request.</summary>
    private sealed class AbortingContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly Func<bool> _spooling;

        public AbortingContent(byte[] image, Func<bool> spooling)
        {
            var form = Uploads.Form(image);
            _bytes = form.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            Headers.ContentType = form.Headers.ContentType;
            _spooling = spooling;
        }

        public bool SawSpoolFile { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_bytes.AsMemory(0, _bytes.Length / 2));
            await stream.FlushAsync();
            for (var i = 0; i < 600 && !_spooling(); i++) await Task.Delay(20);
            SawSpoolFile = _spooling();
            throw new IOException("the client went away");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }

    /// <summary>A multipart upload that sends its first <paramref name="before"/> bytes of the image, then waits for <paramref name="release"/>.</summary>
    private sealed class HeldContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly int _split;
        private readonly Task _release;

        public HeldContent(byte[] image, int before, Task release)
        {
            var form = Uploads.Form(image);
            _bytes = form.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            Headers.ContentType = form.Headers.ContentType;
            _split = _bytes.Length - (image.Length - before);
            _release = release;
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_bytes.AsMemory(0, _split));
            await stream.FlushAsync();
            await _release;
            await stream.WriteAsync(_bytes.AsMemory(_split));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}
