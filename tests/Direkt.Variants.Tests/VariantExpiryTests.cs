using Direkt.Storage.Records;
using Microsoft.Extensions.Logging.Abstractions;

namespace Direkt.Variants.Tests;

/// <summary>The reaper judges candidates per path (issue 12) and writes uses in batches (issue 11).</summary>
public sealed class VariantExpiryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The in-memory records, counting how often uses are written.</summary>
    private sealed class CountingUses(InMemoryAssetRepository inner) : IVariantUseRecords
    {
        public List<IReadOnlyCollection<VariantTouch>> Writes { get; } = [];

        public Task RecordUsesAsync(IReadOnlyCollection<VariantTouch> uses, CancellationToken cancellationToken)
        {
            Writes.Add(uses);
            return inner.RecordUsesAsync(uses, cancellationToken);
        }

        public Task<IReadOnlyList<VariantUse>> FindVariantsOlderThanAsync(DateTimeOffset createdBefore, DateTimeOffset usedBefore, VariantUse? after,
            int max, CancellationToken cancellationToken) => inner.FindVariantsOlderThanAsync(createdBefore, usedBefore, after, max, cancellationToken);

        public Task<int> DeleteVariantsAsync(IReadOnlyList<VariantUse> variants, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.DeleteVariantsAsync(variants, now, cancellationToken);
    }

    private static ExpiryRules Rules(params (string Prefix, ExpiryRule Rule)[] rules) => new(
        path => rules.FirstOrDefault(r => path.StartsWith(r.Prefix, StringComparison.Ordinal)).Rule ?? ExpiryRule.Never,
        () => rules.Select(r => r.Rule).ToList());

    private static async Task<AssetRecord> AssetWithVariantsAsync(InMemoryAssetRepository records, string path, int count, DateTimeOffset at)
    {
        var asset = await records.CreateAsync(new NewAsset
        {
            Path = path, Source = "upload", CreatedAt = at,
            OriginalVariant = new VariantRecord
            {
                IsOriginalVariant = true, StoreBucket = "assets", StoreKey = $"originals{path}.jpg",
                Attributes = new VariantAttributes(10, 10, "jpg", 1, 0, "srgb", 100), CreatedAt = at,
            },
        }, default);
        for (var i = 0; i < count; i++)
            await records.AddVariantAsync(path, asset.EntryId, new VariantRecord
            {
                IsOriginalVariant = false, Transformation = $"w={i}", StoreBucket = "assets", StoreKey = $"variants{path}/{i}.webp",
                Attributes = new VariantAttributes(10, 10, "webp", 1, 0, "srgb", 100), CreatedAt = at,
            }, default);
        return (await records.GetAsync(path, asset.EntryId, VariantScope.All, default))!;
    }

    [Fact]
    public async Task Variants_their_path_keeps_cannot_starve_a_path_whose_variants_expire()
    {
        var records = new InMemoryAssetRepository();
        // More never-expiring variants than a page holds, all older than the ones that expire.
        await AssetWithVariantsAsync(records, "/keep/a", VariantExpiry.BatchSize + 500, T0);
        await AssetWithVariantsAsync(records, "/tmp/a", 5, T0.AddHours(1));
        var clock = new ManualClock(T0.AddHours(3));
        var expiry = new VariantExpiry(records, Rules(("/tmp/", new ExpiryRule(ExpiryStrategy.Ttl, TimeSpan.FromHours(1)))), new LookupCache(clock), clock,
            NullLogger<VariantExpiry>.Instance);

        (await expiry.RunOnceAsync(default)).Should().Be(5);

        (await records.GetAsync("/tmp/a", 0, VariantScope.All, default))!.Variants.Should().ContainSingle(v => v.IsOriginalVariant);
        (await records.GetAsync("/keep/a", 0, VariantScope.All, default))!.Variants.Should().HaveCount(VariantExpiry.BatchSize + 501);
    }

    [Fact]
    public async Task Objects_of_expired_variants_outlive_cached_lookups_of_them()
    {
        var records = new InMemoryAssetRepository();
        await AssetWithVariantsAsync(records, "/tmp/a", 2, T0);
        var clock = new ManualClock(T0.AddHours(3));
        var lookups = new LookupCache(clock);
        var expiry = new VariantExpiry(records, Rules(("/tmp/", new ExpiryRule(ExpiryStrategy.Ttl, TimeSpan.FromHours(1)))), lookups, clock,
            NullLogger<VariantExpiry>.Instance);

        (await expiry.RunOnceAsync(default)).Should().Be(2);

        (await records.TakeDueDeletionsAsync(10, clock.GetUtcNow() + lookups.Ttl - TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1), default))
            .Should().BeEmpty("another instance may still serve them from its cache");
        (await records.TakeDueDeletionsAsync(10, clock.GetUtcNow() + lookups.Ttl, TimeSpan.FromMinutes(1), default)).Should().HaveCount(2);
    }

    [Fact]
    public async Task A_run_that_stops_at_its_page_limit_resumes_where_it_stopped()
    {
        var records = new InMemoryAssetRepository();
        await AssetWithVariantsAsync(records, "/keep/a", VariantExpiry.BatchSize * VariantExpiry.PagesPerRun, T0);
        await AssetWithVariantsAsync(records, "/tmp/a", 3, T0.AddHours(1));
        var clock = new ManualClock(T0.AddHours(3));
        var expiry = new VariantExpiry(records, Rules(("/tmp/", new ExpiryRule(ExpiryStrategy.Ttl, TimeSpan.FromHours(1)))), new LookupCache(clock), clock,
            NullLogger<VariantExpiry>.Instance);

        var first = await expiry.RunOnceAsync(default);
        var second = await expiry.RunOnceAsync(default);

        (first, second).Should().Be((0, 3), "the first run read only kept variants; the second went on from there");
    }

    [Fact]
    public async Task Uses_are_noted_in_memory_and_written_in_one_batch_per_run()
    {
        var inner = new InMemoryAssetRepository();
        var records = new CountingUses(inner);
        var asset = await AssetWithVariantsAsync(inner, "/idle/a", 3, T0);
        var clock = new ManualClock(T0.AddHours(1));
        var expiry = new VariantExpiry(records, Rules(("/idle/", new ExpiryRule(ExpiryStrategy.Idle, TimeSpan.FromHours(2)))), new LookupCache(clock), clock,
            NullLogger<VariantExpiry>.Instance);

        for (var hit = 0; hit < 300; hit++) expiry.NoteUse(asset, asset.Variants[1 + hit % 3]);
        records.Writes.Should().BeEmpty("serving never writes");
        expiry.PendingUses.Should().Be(3, "one entry per variant");

        await expiry.RunOnceAsync(default);

        records.Writes.Should().ContainSingle().Which.Should().HaveCount(3);
        (await inner.FindVariantAsync("/idle/a", 0, "w=1", default))!.AccessedAt.Should().Be(T0.AddHours(1));
        expiry.PendingUses.Should().Be(0);
        await expiry.RunOnceAsync(default);
        records.Writes.Should().ContainSingle("nothing new to write");
    }

    [Fact]
    public async Task Uses_on_paths_that_do_not_expire_idle_variants_are_not_noted()
    {
        var records = new InMemoryAssetRepository();
        var asset = await AssetWithVariantsAsync(records, "/ttl/a", 1, T0);
        var clock = new ManualClock(T0.AddHours(1));
        var expiry = new VariantExpiry(records, Rules(("/ttl/", new ExpiryRule(ExpiryStrategy.Ttl, TimeSpan.FromHours(2)))), new LookupCache(clock), clock,
            NullLogger<VariantExpiry>.Instance);

        expiry.NoteUse(asset, asset.Variants[1]);
        expiry.NoteUse(asset, asset.OriginalVariant);

        expiry.PendingUses.Should().Be(0);
    }
}
