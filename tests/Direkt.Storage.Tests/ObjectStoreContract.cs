using Direkt.Storage;
using Direkt.Storage.Objects;
using Direkt.TestServices;

namespace Direkt.Storage.Tests;

/// <summary>What every <see cref="IObjectStore"/> must do; each implementation runs it through a subclass.</summary>
public abstract class ObjectStoreContract : IDisposable
{
    protected abstract IObjectStore Store { get; }
    public virtual void Dispose() { }

    // Stores whose buckets are shared between tests (S3) give each test its own.
    protected virtual string Assets => "assets";
    protected virtual string Other => "other";
    protected virtual string EmptyBucket => "empty-bucket";

    protected static byte[] RandomBytes(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected async Task<byte[]?> ReadAsync(string bucket, string key)
    {
        await using var stored = await Store.GetAsync(bucket, key, CancellationToken.None);
        if (stored is null) return null;
        using var copy = new MemoryStream();
        await stored.Content.CopyToAsync(copy);
        copy.Length.Should().Be(stored.Length);
        return copy.ToArray();
    }

    [Fact]
    public async Task A_multi_megabyte_object_round_trips_byte_for_byte()
    {
        var payload = RandomBytes(5 * 1024 * 1024 + 17);

        var written = await Store.PutAsync(Assets, "originals/a.jpg", new MemoryStream(payload), "image/jpeg", default);

        written.Should().Be(payload.Length);
        (await ReadAsync(Assets, "originals/a.jpg")).Should().Equal(payload);
        (await Store.GetLengthAsync(Assets, "originals/a.jpg", default)).Should().Be(payload.Length);
    }

    [Fact]
    public async Task Put_replaces_an_existing_object()
    {
        await Store.PutAsync(Assets, "k", new MemoryStream([1, 2, 3]), "image/png", default);
        await Store.PutAsync(Assets, "k", new MemoryStream([4]), "image/png", default);

        (await ReadAsync(Assets, "k")).Should().Equal(4);
    }

    [Fact]
    public async Task Missing_objects_are_null_and_deleting_is_idempotent()
    {
        (await Store.GetAsync(Assets, "nope", default)).Should().BeNull();
        (await Store.GetLengthAsync(Assets, "nope", default)).Should().BeNull();
        await Store.PutAsync(Assets, "gone", new MemoryStream([1]), "image/png", default);

        (await Store.DeleteAsync(Assets, "gone", default)).Should().BeTrue();
        (await Store.DeleteAsync(Assets, "gone", default)).Should().BeFalse();
        (await Store.GetAsync(Assets, "gone", default)).Should().BeNull();
    }

    [Fact]
    public async Task A_source_that_fails_midway_leaves_nothing_behind()
    {
        var act = () => Store.PutAsync(Assets, "broken", new FailingStream(RandomBytes(300_000), failAfter: 200_000), "image/png", default);

        await act.Should().ThrowAsync<IOException>().WithMessage("source failed");
        (await Store.GetAsync(Assets, "broken", default)).Should().BeNull();
        (await KeysAsync(Assets, "")).Should().BeEmpty();
        AssertNoStrayFiles();
    }

    [Fact]
    public async Task A_cancelled_put_leaves_nothing_behind()
    {
        using var cancellation = new CancellationTokenSource();
        var source = new FailingStream(RandomBytes(300_000), failAfter: int.MaxValue, onRead: cancellation.Cancel);

        var act = () => Store.PutAsync(Assets, "cancelled", source, "image/png", cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await Store.GetAsync(Assets, "cancelled", default)).Should().BeNull();
        AssertNoStrayFiles();
    }

    [Fact]
    public async Task Keys_with_slashes_list_by_prefix_and_buckets_are_separate()
    {
        await Store.PutAsync(Assets, "originals/1.jpg", new MemoryStream([1]), "image/jpeg", default);
        await Store.PutAsync(Assets, "originals/2.jpg", new MemoryStream([2]), "image/jpeg", default);
        await Store.PutAsync(Assets, "variants/3.webp", new MemoryStream([3]), "image/webp", default);
        await Store.PutAsync(Other, "originals/9.jpg", new MemoryStream([9]), "image/jpeg", default);

        (await KeysAsync(Assets, "originals/")).Should().BeEquivalentTo("originals/1.jpg", "originals/2.jpg");
        (await KeysAsync(Assets, "")).Should().HaveCount(3);
        (await KeysAsync(Other, "")).Should().Equal("originals/9.jpg");
        (await KeysAsync(EmptyBucket, "")).Should().BeEmpty();
        (await ReadAsync(Other, "originals/9.jpg")).Should().Equal(9);
    }

    /// <summary>
    /// Whether the server behind the store replaces an object atomically when several writers put the same key at once.
    /// Direkt never writes one key twice (keys are fresh UUIDv7s), so a store whose test server lacks this still passes the
    /// parallel-writes test on distinct keys.
    /// </summary>
    protected virtual bool ReplacesAtomically => true;

    [Fact]
    public async Task Concurrent_puts_of_one_key_end_with_one_complete_version()
    {
        var versions = Enumerable.Range(1, 8).Select(i => RandomBytes(200_000, seed: i)).ToList();
        if (!ReplacesAtomically)
        {
            await Task.WhenAll(versions.Select((v, i) => Task.Run(() => Store.PutAsync(Assets, $"parallel/{i}", new MemoryStream(v), "image/png", default))));
            for (var i = 0; i < versions.Count; i++) (await ReadAsync(Assets, $"parallel/{i}")).Should().Equal(versions[i]);
            return;
        }

        await Task.WhenAll(versions.Select(v => Task.Run(() => Store.PutAsync(Assets, "race", new MemoryStream(v), "image/png", default))));

        var final = await ReadAsync(Assets, "race");
        versions.Should().ContainSingle(v => v.SequenceEqual(final!));
    }

    [Fact]
    public async Task A_prefix_of_other_keys_is_not_an_object()
    {
        await Store.PutAsync(Assets, "folder/x", new MemoryStream([1]), "image/png", default);

        (await Store.GetAsync(Assets, "folder", default)).Should().BeNull();
        (await Store.GetLengthAsync(Assets, "folder", default)).Should().BeNull();
        (await Store.DeleteAsync(Assets, "folder", default)).Should().BeFalse();
        (await ReadAsync(Assets, "folder/x")).Should().Equal(1);
    }

    [Fact]
    public async Task Range_reads_return_exactly_the_requested_bytes()
    {
        var payload = RandomBytes(300_000, seed: 7);
        await Store.PutAsync(Assets, "ranged", new MemoryStream(payload), "image/png", default);

        async Task<byte[]> Range(long offset, long length)
        {
            await using var stored = await Store.GetRangeAsync(Assets, "ranged", offset, length, default);
            using var copy = new MemoryStream();
            await stored!.Content.CopyToAsync(copy);
            copy.Length.Should().Be(stored.Length);
            return copy.ToArray();
        }

        (await Range(0, 1)).Should().Equal(payload[..1]);
        (await Range(1000, 70_000)).Should().Equal(payload[1000..71_000]);
        (await Range(299_990, 100)).Should().Equal(payload[299_990..], "a range past the end is cut at the end");
        (await Store.GetRangeAsync(Assets, "missing", 0, 10, default)).Should().BeNull();
        await FluentActions.Awaiting(() => Store.GetRangeAsync(Assets, "ranged", 300_000, 1, default))
            .Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Health_check_passes() => await Store.CheckHealthAsync(default);

    [Theory]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("/abs")]
    [InlineData("a\\b")]
    [InlineData("a//b")]
    [InlineData("")]
    [InlineData("a/./b")]
    [InlineData(".tmp/x")]
    [InlineData("a/\u0001b")]
    [InlineData("a/")]
    public async Task Keys_that_could_escape_are_refused(string key)
    {
        var act = () => Store.PutAsync(Assets, key, new MemoryStream([1]), "image/png", default);

        await act.Should().ThrowAsync<ArgumentException>();
        AssertNoStrayFiles();
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData(".tmp")]
    [InlineData(".health")]
    [InlineData("a\\b")]
    public async Task Bad_buckets_are_refused(string bucket)
    {
        var act = () => Store.PutAsync(bucket, "k", new MemoryStream([1]), "image/png", default);

        await act.Should().ThrowAsync<ArgumentException>();
    }

    protected virtual void AssertNoStrayFiles() { }

    private async Task<List<string>> KeysAsync(string bucket, string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in Store.ListKeysAsync(bucket, prefix, default)) keys.Add(key);
        return keys;
    }

    /// <summary>A source that throws after some bytes (fault injection), or runs a callback on each read.</summary>
    private sealed class FailingStream(byte[] data, int failAfter, Action? onRead = null) : MemoryStream(data)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            onRead?.Invoke();
            if (Position >= failAfter) throw new IOException("source failed");
            return await base.ReadAsync(buffer[..Math.Min(buffer.Length, 16384)], cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}

public sealed class InMemoryObjectStoreTests : ObjectStoreContract
{
    protected override IObjectStore Store { get; } = new InMemoryObjectStore();
}

public sealed class FileSystemObjectStoreTests : ObjectStoreContract
{
    private readonly string _root = Directory.CreateTempSubdirectory("direkt-fs-").FullName;
    private readonly FileSystemObjectStore _store;

    public FileSystemObjectStoreTests() => _store = new FileSystemObjectStore(_root);

    protected override IObjectStore Store => _store;

    public override void Dispose() => Directory.Delete(_root, recursive: true);

    protected override void AssertNoStrayFiles() =>
        Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Should().BeEmpty();

    [Fact]
    public async Task Objects_are_files_below_the_bucket_folder()
    {
        await Store.PutAsync("assets", "originals/x.png", new MemoryStream([7, 8]), "image/png", default);

        File.ReadAllBytes(Path.Combine(_root, "assets", "originals", "x.png")).Should().Equal(7, 8);
    }

    [Fact]
    public async Task A_root_that_cannot_hold_folders_is_a_storage_outage()
    {
        // A plain file where the root folder should be fails for every user, root included.
        var notAFolder = Path.Combine(_root, "not-a-folder");
        File.WriteAllText(notAFolder, "x");
        var store = new FileSystemObjectStore(notAFolder);

        var put = () => store.PutAsync("assets", "k", new MemoryStream([1]), "image/png", default);
        var health = () => store.CheckHealthAsync(default);

        await put.Should().ThrowAsync<StorageUnavailableException>();
        await health.Should().ThrowAsync<StorageUnavailableException>();
    }
}

/// <summary>The contract against a real S3 protocol server (s3rver, started by scripts/test), each test in its own buckets.</summary>
public sealed class S3ObjectStoreTests : ObjectStoreContract, IAsyncLifetime
{
    private readonly TestBuckets _buckets = new();
    private readonly Dictionary<string, string> _names = new();
    private S3ObjectStore _store = null!;

    protected override IObjectStore Store => _store;
    protected override string Assets => _names["assets"];
    protected override string Other => _names["other"];
    protected override string EmptyBucket => _names["empty"];

    // s3rver writes an object in place and its checksum separately, so concurrent puts of one key can interleave (S3, MinIO and
    // R2 replace atomically). Direkt never puts one key twice; the contract runs parallel puts of distinct keys instead.
    protected override bool ReplacesAtomically => false;

    public async Task InitializeAsync()
    {
        _names["assets"] = await _buckets.CreateAsync("assets");
        _names["other"] = await _buckets.CreateAsync("other");
        _names["empty"] = "empty-" + Guid.NewGuid().ToString("N")[..12]; // never created: lists as empty
        _store = NewStore(Assets, Other);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public override void Dispose()
    {
        _store.Dispose();
        _buckets.Dispose();
    }

    private static S3ObjectStore NewStore(params string[] buckets) => new(new S3StoreSettings
    {
        EndpointUrl = TestEnvironment.S3Endpoint, AccessKey = TestEnvironment.S3AccessKey, SecretKey = TestEnvironment.S3SecretKey,
        ForcePathStyle = true, ChunkedEncoding = false, Buckets = buckets, PartSize = S3StoreSettings.MinimumPartSize,
    });

    [Fact]
    public async Task An_object_larger_than_a_part_goes_up_in_parts_and_round_trips_byte_for_byte()
    {
        var payload = RandomBytes(2 * S3StoreSettings.MinimumPartSize + 12_345, seed: 3);

        var written = await Store.PutAsync(Assets, "big/multi.jpg", new MemoryStream(payload), "image/jpeg", default);

        written.Should().Be(payload.Length);
        (await ReadAsync(Assets, "big/multi.jpg")).Should().Equal(payload);
        (await _buckets.Client.GetObjectMetadataAsync(Assets, "big/multi.jpg")).Headers.ContentType.Should().Be("image/jpeg");
    }

    [Fact]
    public async Task A_source_failing_after_the_first_part_leaves_no_object()
    {
        var payload = RandomBytes(S3StoreSettings.MinimumPartSize + 100_000, seed: 4);
        var source = new ThrowingAfter(payload, S3StoreSettings.MinimumPartSize + 50_000);

        var act = () => Store.PutAsync(Assets, "half", source, "image/jpeg", default);

        await act.Should().ThrowAsync<IOException>();
        (await Store.GetAsync(Assets, "half", default)).Should().BeNull();
        (await _buckets.KeysAsync(Assets)).Should().BeEmpty();
    }

    [Fact]
    public async Task Listing_follows_continuation_pages()
    {
        using var store = new S3ObjectStore(new S3StoreSettings
        {
            EndpointUrl = TestEnvironment.S3Endpoint, AccessKey = TestEnvironment.S3AccessKey, SecretKey = TestEnvironment.S3SecretKey,
            ForcePathStyle = true, ChunkedEncoding = false, Buckets = [Assets], ListPageSize = 2,
        });
        for (var i = 0; i < 5; i++) await store.PutAsync(Assets, $"variants/{i}.webp", new MemoryStream([(byte)i]), "image/webp", default);

        var keys = new List<string>();
        await foreach (var key in store.ListKeysAsync(Assets, "variants/", default)) keys.Add(key);

        keys.Should().Equal(Enumerable.Range(0, 5).Select(i => $"variants/{i}.webp"));
    }

    [Fact]
    public async Task A_missing_bucket_fails_the_health_check_with_its_name()
    {
        using var store = NewStore(Assets, "no-such-bucket-here");

        var act = () => store.CheckHealthAsync(default);

        (await act.Should().ThrowAsync<StorageUnavailableException>()).WithMessage("*'no-such-bucket-here' does not exist*");
    }

    [Fact]
    public async Task Writing_to_a_missing_bucket_is_a_storage_outage_not_a_crash()
    {
        var act = () => Store.PutAsync("no-such-bucket-here", "k", new MemoryStream([1]), "image/png", default);

        await act.Should().ThrowAsync<StorageUnavailableException>();
    }

    [Fact]
    public async Task An_unreachable_server_is_a_storage_outage()
    {
        using var store = new S3ObjectStore(new S3StoreSettings
        {
            EndpointUrl = "http://127.0.0.1:1", AccessKey = "a", SecretKey = "b", ForcePathStyle = true, Buckets = ["assets"],
            MaxRetries = 1,
        });

        await FluentActions.Awaiting(() => store.CheckHealthAsync(default)).Should().ThrowAsync<StorageUnavailableException>();
        await FluentActions.Awaiting(() => store.GetAsync("assets", "k", default)).Should().ThrowAsync<StorageUnavailableException>();
        await FluentActions.Awaiting(() => store.PutAsync("assets", "k", new MemoryStream([1]), "image/png", default))
            .Should().ThrowAsync<StorageUnavailableException>();
    }

    [Fact]
    public async Task A_presigned_url_fetches_the_object_without_credentials_and_expires()
    {
        var payload = RandomBytes(10_000, seed: 5);
        await Store.PutAsync(Assets, "variants/p.webp", new MemoryStream(payload), "image/webp", default);
        using var http = new HttpClient();

        var url = _store.PresignGet(Assets, "variants/p.webp", TimeSpan.FromMinutes(5));
        var expired = _store.PresignGet(Assets, "variants/p.webp", TimeSpan.FromSeconds(1));
        await Task.Delay(TimeSpan.FromSeconds(2.1));

        url.Scheme.Should().Be("http");
        (await http.GetByteArrayAsync(url)).Should().Equal(payload);
        (await http.GetAsync(expired)).StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden);
    }

    private sealed class ThrowingAfter(byte[] data, int failAt) : MemoryStream(data)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= failAt) throw new IOException("source failed");
            return await base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, failAt - Position)], cancellationToken);
        }
    }
}

/// <summary>Transient S3 failures are retried with back-off; persistent ones become a storage outage after the retries.</summary>
public sealed class S3RetryTests : IAsyncLifetime, IDisposable
{
    private readonly TestBuckets _buckets = new();
    private string _bucket = null!;

    public async Task InitializeAsync() => _bucket = await _buckets.CreateAsync("retry");
    public Task DisposeAsync() => Task.CompletedTask;
    public void Dispose() => _buckets.Dispose();

    private S3ObjectStore Store(FlakyHandler handler) => new(new S3StoreSettings
    {
        EndpointUrl = TestEnvironment.S3Endpoint, AccessKey = TestEnvironment.S3AccessKey, SecretKey = TestEnvironment.S3SecretKey,
        ForcePathStyle = true, ChunkedEncoding = false, Buckets = [_bucket], MaxRetries = 3,
        HttpClientFactory = new FlakyClientFactory(handler),
    });

    [Fact]
    public async Task Two_503_slow_downs_then_success_store_the_object()
    {
        var handler = new FlakyHandler(failures: 2);
        using var store = Store(handler);
        var payload = new byte[100_000];
        new Random(9).NextBytes(payload);

        await store.PutAsync(_bucket, "k", new MemoryStream(payload), "image/png", default);

        handler.Attempts.Should().Be(3, "two failed attempts were retried");
        await using var stored = await store.GetAsync(_bucket, "k", default);
        using var copy = new MemoryStream();
        await stored!.Content.CopyToAsync(copy);
        copy.ToArray().Should().Equal(payload, "a retried upload sends the whole body again");
    }

    [Fact]
    public async Task A_store_that_keeps_failing_is_an_outage_after_the_retries()
    {
        var handler = new FlakyHandler(failures: int.MaxValue);
        using var store = Store(handler);

        var act = () => store.GetAsync(_bucket, "k", default);

        (await act.Should().ThrowAsync<StorageUnavailableException>()).WithMessage("*503*");
        handler.Attempts.Should().Be(4, "one attempt and three retries");
    }

    /// <summary>Answers the first requests with S3's 503 SlowDown, then passes requests to the real server.</summary>
    private sealed class FlakyHandler(int failures) : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _attempts;
        public int Attempts => _attempts;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _attempts) <= failures)
                return new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable)
                {
                    Content = new StringContent("<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
                        System.Text.Encoding.UTF8, "application/xml"),
                };
            return await base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class FlakyClientFactory(FlakyHandler handler) : Amazon.Runtime.HttpClientFactory
    {
        public override HttpClient CreateHttpClient(Amazon.Runtime.IClientConfig clientConfig) => new(handler, disposeHandler: false);
        public override bool UseSDKHttpClientCaching(Amazon.Runtime.IClientConfig clientConfig) => false;
        public override bool DisposeHttpClientsAfterUse(Amazon.Runtime.IClientConfig clientConfig) => false;
    }
}
