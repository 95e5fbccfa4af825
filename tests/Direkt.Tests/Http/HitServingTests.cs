using System.Net;
using System.Net.Http.Headers;
using Direkt.Storage.Objects;
using Direkt.Storage.Records;
using Direkt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

/// <summary>
/// Hits served like a static file (issue 11) and bytes that vanish under a GET (issue 12): a file of the local store is sent
/// without the store's stream, with the same bytes, validators and ranges; a DELETE or an expiry racing a GET is answered from
/// a fresh look, never with 503.
/// </summary>
public sealed class HitServingTests
{
    private readonly byte[] _jpeg = TestImages.Jpeg(300, 200);

    /// <summary>Local files whose streams are refused once <see cref="RefuseStreams"/> is set: only file sending can serve then.</summary>
    private sealed class FilesOnlyStore(FileSystemObjectStore inner) : IObjectStore, ILocalObjectFiles
    {
        public volatile bool RefuseStreams;
        public string? LocalPath(string bucket, string key) => inner.LocalPath(bucket, key);
        public Task<long> PutAsync(string bucket, string key, Stream content, string contentType, CancellationToken cancellationToken) =>
            inner.PutAsync(bucket, key, content, contentType, cancellationToken);
        public Task<StoredObject?> GetAsync(string bucket, string key, CancellationToken cancellationToken) =>
            RefuseStreams ? throw new InvalidOperationException("streamed read of a local file") : inner.GetAsync(bucket, key, cancellationToken);
        public Task<StoredObject?> GetRangeAsync(string bucket, string key, long offset, long length, CancellationToken cancellationToken) =>
            RefuseStreams ? throw new InvalidOperationException("streamed read of a local file") : inner.GetRangeAsync(bucket, key, offset, length, cancellationToken);
        public Task<long?> GetLengthAsync(string bucket, string key, CancellationToken cancellationToken) => inner.GetLengthAsync(bucket, key, cancellationToken);
        public Task<bool> DeleteAsync(string bucket, string key, CancellationToken cancellationToken) => inner.DeleteAsync(bucket, key, cancellationToken);
        public IAsyncEnumerable<string> ListKeysAsync(string bucket, string prefix, CancellationToken cancellationToken) =>
            inner.ListKeysAsync(bucket, prefix, cancellationToken);
        public Task CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);
    }

    private static Task<HttpResponseMessage> Get(HttpClient client, string url, Action<HttpRequestHeaders>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        headers?.Invoke(request.Headers);
        return client.SendAsync(request);
    }

    [Fact]
    public async Task A_hit_on_the_filesystem_store_is_sent_from_the_file_with_the_same_bytes_validators_and_ranges()
    {
        FilesOnlyStore store = null!;
        await using var server = await DirektTestServer.StartAsync(services: s => s.AddSingleton<IObjectStore>(provider =>
            store = new FilesOnlyStore(new FileSystemObjectStore(
                provider.GetRequiredService<Direkt.Configuration.Loading.DirektConfiguration>().Options.ObjectStore.Filesystem.Root))));
        var client = server.Client;
        (await client.PostAsync("/hits/photo", _jpeg)).StatusCode.Should().Be(HttpStatusCode.Created);
        var generated = await Get(client, "/assets/hits/photo/-/content?w=120&format=png");
        var variant = await generated.Content.ReadAsByteArrayAsync();
        store.RefuseStreams = true;

        foreach (var (url, bytes) in new[] { ("/assets/hits/photo/-/content", _jpeg), ("/assets/hits/photo/-/content?w=120&format=png", variant) })
        {
            var whole = await Get(client, url);
            whole.StatusCode.Should().Be(HttpStatusCode.OK);
            (await whole.Content.ReadAsByteArrayAsync()).Should().Equal(bytes);
            whole.Content.Headers.ContentLength.Should().Be(bytes.Length);
            whole.Headers.ETag.Should().NotBeNull();
            (await Get(client, url, h => h.IfNoneMatch.Add(whole.Headers.ETag!))).StatusCode.Should().Be(HttpStatusCode.NotModified);

            var part = await Get(client, url, h => h.Range = new RangeHeaderValue(10, 29));
            part.StatusCode.Should().Be(HttpStatusCode.PartialContent);
            part.Content.Headers.ContentLength.Should().Be(20);
            part.Content.Headers.ContentRange!.ToString().Should().Be($"bytes 10-29/{bytes.Length}");
            (await part.Content.ReadAsByteArrayAsync()).Should().Equal(bytes[10..30]);

            var beyond = await Get(client, url, h => h.Range = new RangeHeaderValue(bytes.Length, null));
            beyond.StatusCode.Should().Be(HttpStatusCode.RequestedRangeNotSatisfiable);
            beyond.Content.Headers.ContentRange!.ToString().Should().Be($"bytes */{bytes.Length}");

            var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
            head.Content.Headers.ContentLength.Should().Be(bytes.Length);
        }
    }

    // The two tests below take the objects away while this instance still holds the lookups, which the outbox never does
    // (it removes them only after the lookups' lifetime): they test the fallback for bytes that vanish anyway. Kept bytes
    // (`hit-cache`) would serve the cached lookup's answer, as its file would within that lifetime, so they run without.
    private const string NoHitCache = "hit-cache.memory = 0";

    [Fact]
    public async Task A_variant_expired_by_another_instance_under_a_cached_lookup_is_generated_again()
    {
        await using var server = await DirektTestServer.StartAsync(NoHitCache);
        var client = server.Client;
        await client.PostAsync("/race/photo", _jpeg);
        const string url = "/assets/race/photo/-/content?w=100&format=webp";
        (await Get(client, url)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Get(client, url)).Headers.GetValues("Cache-Status").Single().Should().Be("direkt; hit"); // the lookup is cached now

        // Another instance's reaper: the record goes, and (past the lookup lifetime) its object.
        var records = server.Services.GetRequiredService<IVariantUseRecords>();
        var later = DateTimeOffset.UtcNow.AddHours(1);
        var uses = await records.FindVariantsOlderThanAsync(later, later, null, 10, CancellationToken.None);
        (await records.DeleteVariantsAsync(uses, DateTimeOffset.UtcNow, CancellationToken.None)).Should().Be(1);
        foreach (var file in Directory.GetFiles(server.ObjectsFolder, "*.webp", SearchOption.AllDirectories)) File.Delete(file);

        var again = await Get(client, url);

        again.StatusCode.Should().Be(HttpStatusCode.OK);
        again.Headers.GetValues("Cache-Status").Single().Should().Be("direkt; fwd=miss; stored");
        (await again.Content.ReadAsByteArrayAsync())[8..12].Should().Equal("WEBP"u8.ToArray());
    }

    [Theory]
    [InlineData("/assets/gone/photo/-/content")]
    [InlineData("/assets/gone/photo/-/content?w=100&format=webp")]
    public async Task An_asset_deleted_by_another_instance_under_a_cached_lookup_is_404_not_503(string url)
    {
        await using var server = await DirektTestServer.StartAsync(NoHitCache);
        var client = server.Client;
        var entryId = (await (await client.PostAsync("/gone/photo", _jpeg)).JsonAsync()).GetProperty("entryId").GetInt64();
        (await Get(client, url)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Get(client, url)).StatusCode.Should().Be(HttpStatusCode.OK); // the lookups are cached now

        var records = server.Services.GetRequiredService<IAssetRecords>();
        (await records.DeleteAsync(new AssetDeletion.Entry("/gone/photo", entryId), DateTimeOffset.UtcNow, CancellationToken.None))
            .Should().HaveCount(1);
        foreach (var file in Directory.GetFiles(server.ObjectsFolder, "*", SearchOption.AllDirectories)) File.Delete(file);

        (await Get(client, url)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
