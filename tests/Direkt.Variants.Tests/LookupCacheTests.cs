using System.Data.Common;
using Direkt.Storage.Records;
using Direkt.Storage.Records.Sql;

namespace Direkt.Variants.Tests;

/// <summary>The hit path's cache of resolved lookups (issue 11): a cached hit touches no database; changes are seen in time.</summary>
public sealed class LookupCacheTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("direkt-lookups-").FullName;
    private readonly StatementCounter _statements = new();
    private readonly ManualClock _clock = new(T0);
    private SqlAssetRepository _repository = null!;

    private sealed class StatementCounter : ISqlStatementObserver
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);
        public void Executing(DbCommand command) => Interlocked.Increment(ref _count);
    }

    public async Task InitializeAsync()
    {
        _repository = SqlAssetRepository.Sqlite(Path.Combine(_folder, "direkt.db"), observer: _statements);
        await _repository.MigrateAsync(default);
        foreach (var path in new[] { "/a", "/a/b", "/ab" })
        {
            await _repository.CreateAsync(new NewAsset { Path = path, Source = "upload", CreatedAt = T0, OriginalVariant = Variant(null, "originals/x.jpg") },
                default);
            await _repository.AddVariantAsync(path, 0, Variant("w=10&format=webp", "variants/x.webp"), default);
        }
    }

    public async Task DisposeAsync()
    {
        await _repository.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static VariantRecord Variant(string? transformation, string key) => new()
    {
        IsOriginalVariant = transformation is null, Transformation = transformation, StoreBucket = "assets", StoreKey = key,
        Attributes = new VariantAttributes(10, 10, "webp", 1, 0, "srgb", 100), CreatedAt = T0,
    };

    /// <summary>What serving stored content looks up: the asset (original only), then the variant by its canonical key.</summary>
    private async Task<VariantRecord?> HitAsync(LookupCache cache, string path)
    {
        var asset = await cache.GetAssetAsync(path, "entry 0", t => _repository.GetAsync(path, 0, VariantScope.Original, t), default);
        return await cache.GetVariantAsync(asset!.Path, asset.EntryId, "w=10&format=webp",
            t => _repository.FindVariantAsync(path, 0, "w=10&format=webp", t), default);
    }

    private async Task<int> StatementsOfAsync(Func<Task> action)
    {
        var before = _statements.Count;
        await action();
        return _statements.Count - before;
    }

    [Fact]
    public async Task An_uncached_hit_runs_two_statements_and_a_cached_hit_none()
    {
        var cache = new LookupCache(_clock);

        (await StatementsOfAsync(() => HitAsync(cache, "/a"))).Should().Be(2);
        for (var i = 0; i < 5; i++) (await StatementsOfAsync(() => HitAsync(cache, "/a"))).Should().Be(0);
        (await HitAsync(cache, "/a"))!.StoreKey.Should().Be("variants/x.webp");
    }

    [Fact]
    public async Task Entries_live_for_the_ttl_so_other_instances_changes_are_seen_within_it()
    {
        var cache = new LookupCache(_clock, new LookupCacheOptions { Ttl = TimeSpan.FromSeconds(5) });
        await HitAsync(cache, "/a");

        _clock.Advance(TimeSpan.FromSeconds(4.9));
        (await StatementsOfAsync(() => HitAsync(cache, "/a"))).Should().Be(0);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        (await StatementsOfAsync(() => HitAsync(cache, "/a"))).Should().Be(2);
    }

    [Fact]
    public async Task Forgetting_a_path_drops_its_entries_and_below_drops_the_subtree_only()
    {
        var cache = new LookupCache(_clock);
        foreach (var path in new[] { "/a", "/a/b", "/ab" }) await HitAsync(cache, path);

        cache.Forget("/a/b");
        (await StatementsOfAsync(() => HitAsync(cache, "/a/b"))).Should().Be(2);
        (await StatementsOfAsync(() => HitAsync(cache, "/a"))).Should().Be(0);

        cache.Forget("/a", below: true);
        (await StatementsOfAsync(() => HitAsync(cache, "/a"))).Should().Be(2);
        (await StatementsOfAsync(() => HitAsync(cache, "/a/b"))).Should().Be(2);
        (await StatementsOfAsync(() => HitAsync(cache, "/ab"))).Should().Be(0, "/ab is a sibling, not below /a");
    }

    [Fact]
    public async Task A_miss_is_not_remembered()
    {
        var cache = new LookupCache(_clock);
        var loads = 0;

        for (var i = 0; i < 3; i++)
            (await cache.GetVariantAsync("/a", 0, "w=99", async t => { loads++; return await _repository.FindVariantAsync("/a", 0, "w=99", t); }, default))
                .Should().BeNull();

        loads.Should().Be(3, "a variant generated meanwhile must be found at once");
    }

    [Fact]
    public async Task A_lookup_that_overlaps_a_change_keeps_nothing()
    {
        var cache = new LookupCache(_clock);
        var loads = 0;
        Task<VariantRecord?> LoadDuringAChange(CancellationToken token)
        {
            loads++;
            cache.Forget("/a"); // e.g. a DELETE through this instance while the row was being read
            return _repository.FindVariantAsync("/a", 0, "w=10&format=webp", token);
        }

        await cache.GetVariantAsync("/a", 0, "w=10&format=webp", LoadDuringAChange, default);
        await cache.GetVariantAsync("/a", 0, "w=10&format=webp", LoadDuringAChange, default);

        loads.Should().Be(2);
        cache.Count.Should().Be(0);
    }

    [Fact]
    public void A_remembered_request_lives_for_the_ttl_and_is_forgotten_with_its_path()
    {
        var cache = new LookupCache(_clock, new LookupCacheOptions { Ttl = TimeSpan.FromSeconds(5) });
        var answer = new object();

        cache.Remember("/a/-/content?w=10\nimage/webp", "/a", answer, cache.Mark);
        cache.Recall("/a/-/content?w=10\nimage/webp").Should().BeSameAs(answer);
        cache.Recall("/a/-/content?w=10\n*/*").Should().BeNull("another Accept is another request");
        _clock.Advance(TimeSpan.FromSeconds(5));
        cache.Recall("/a/-/content?w=10\nimage/webp").Should().BeNull("it lives as long as any lookup");

        cache.Remember("/a/-/content?w=10\nimage/webp", "/a", answer, cache.Mark);
        cache.Forget("/a");
        cache.Recall("/a/-/content?w=10\nimage/webp").Should().BeNull("a change here forgets it at once");
    }

    [Fact]
    public void A_request_resolved_across_a_change_is_not_remembered()
    {
        var cache = new LookupCache(_clock);
        var mark = cache.Mark;
        cache.Forget("/elsewhere"); // any change through this instance while the request was being resolved

        cache.Remember("/a/-/content\n", "/a", new object(), mark);

        cache.Recall("/a/-/content\n").Should().BeNull();
    }

    [Fact]
    public async Task The_cache_is_bounded()
    {
        var cache = new LookupCache(_clock, new LookupCacheOptions { Capacity = 2 });
        foreach (var path in new[] { "/a", "/a/b", "/ab" }) await HitAsync(cache, path);

        cache.Count.Should().Be(2);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await HitAsync(cache, "/ab");
        cache.Count.Should().Be(2, "expired entries made room");
    }
}
