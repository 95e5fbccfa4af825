using Direkt.Storage;
using Direkt.Storage.Objects;

namespace Direkt.Storage.Tests;

/// <summary>What every <see cref="IObjectStore"/> must do; each implementation runs it through a subclass.</summary>
public abstract class ObjectStoreContract : IDisposable
{
    protected abstract IObjectStore Store { get; }
    public virtual void Dispose() { }

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

        var written = await Store.PutAsync("assets", "originals/a.jpg", new MemoryStream(payload), "image/jpeg", default);

        written.Should().Be(payload.Length);
        (await ReadAsync("assets", "originals/a.jpg")).Should().Equal(payload);
        (await Store.GetLengthAsync("assets", "originals/a.jpg", default)).Should().Be(payload.Length);
    }

    [Fact]
    public async Task Put_replaces_an_existing_object()
    {
        await Store.PutAsync("assets", "k", new MemoryStream([1, 2, 3]), "image/png", default);
        await Store.PutAsync("assets", "k", new MemoryStream([4]), "image/png", default);

        (await ReadAsync("assets", "k")).Should().Equal(4);
    }

    [Fact]
    public async Task Missing_objects_are_null_and_deleting_is_idempotent()
    {
        (await Store.GetAsync("assets", "nope", default)).Should().BeNull();
        (await Store.GetLengthAsync("assets", "nope", default)).Should().BeNull();
        await Store.PutAsync("assets", "gone", new MemoryStream([1]), "image/png", default);

        (await Store.DeleteAsync("assets", "gone", default)).Should().BeTrue();
        (await Store.DeleteAsync("assets", "gone", default)).Should().BeFalse();
        (await Store.GetAsync("assets", "gone", default)).Should().BeNull();
    }

    [Fact]
    public async Task A_source_that_fails_midway_leaves_nothing_behind()
    {
        var act = () => Store.PutAsync("assets", "broken", new FailingStream(RandomBytes(300_000), failAfter: 200_000), "image/png", default);

        await act.Should().ThrowAsync<IOException>().WithMessage("source failed");
        (await Store.GetAsync("assets", "broken", default)).Should().BeNull();
        (await KeysAsync("assets", "")).Should().BeEmpty();
        AssertNoStrayFiles();
    }

    [Fact]
    public async Task A_cancelled_put_leaves_nothing_behind()
    {
        using var cancellation = new CancellationTokenSource();
        var source = new FailingStream(RandomBytes(300_000), failAfter: int.MaxValue, onRead: cancellation.Cancel);

        var act = () => Store.PutAsync("assets", "cancelled", source, "image/png", cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await Store.GetAsync("assets", "cancelled", default)).Should().BeNull();
        AssertNoStrayFiles();
    }

    [Fact]
    public async Task Keys_with_slashes_list_by_prefix_and_buckets_are_separate()
    {
        await Store.PutAsync("assets", "originals/1.jpg", new MemoryStream([1]), "image/jpeg", default);
        await Store.PutAsync("assets", "originals/2.jpg", new MemoryStream([2]), "image/jpeg", default);
        await Store.PutAsync("assets", "variants/3.webp", new MemoryStream([3]), "image/webp", default);
        await Store.PutAsync("other", "originals/9.jpg", new MemoryStream([9]), "image/jpeg", default);

        (await KeysAsync("assets", "originals/")).Should().BeEquivalentTo("originals/1.jpg", "originals/2.jpg");
        (await KeysAsync("assets", "")).Should().HaveCount(3);
        (await KeysAsync("other", "")).Should().Equal("originals/9.jpg");
        (await KeysAsync("empty-bucket", "")).Should().BeEmpty();
        (await ReadAsync("other", "originals/9.jpg")).Should().Equal(9);
    }

    [Fact]
    public async Task Concurrent_puts_of_one_key_end_with_one_complete_version()
    {
        var versions = Enumerable.Range(1, 8).Select(i => RandomBytes(200_000, seed: i)).ToList();

        await Task.WhenAll(versions.Select(v => Task.Run(() => Store.PutAsync("assets", "race", new MemoryStream(v), "image/png", default))));

        var final = await ReadAsync("assets", "race");
        versions.Should().ContainSingle(v => v.SequenceEqual(final!));
    }

    [Fact]
    public async Task A_prefix_of_other_keys_is_not_an_object()
    {
        await Store.PutAsync("assets", "folder/x", new MemoryStream([1]), "image/png", default);

        (await Store.GetAsync("assets", "folder", default)).Should().BeNull();
        (await Store.GetLengthAsync("assets", "folder", default)).Should().BeNull();
        (await Store.DeleteAsync("assets", "folder", default)).Should().BeFalse();
        (await ReadAsync("assets", "folder/x")).Should().Equal(1);
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
        var act = () => Store.PutAsync("assets", key, new MemoryStream([1]), "image/png", default);

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
