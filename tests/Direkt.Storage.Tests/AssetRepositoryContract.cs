using Direkt.Storage.Records;
using Direkt.Storage.Records.Sql;
using Direkt.TestServices;

namespace Direkt.Storage.Tests;

/// <summary>What every <see cref="IRecordStore"/> must do; each implementation runs it through a subclass.</summary>
public abstract class AssetRepositoryContract : IAsyncLifetime
{
    protected IRecordStore Repository { get; private set; } = null!;
    protected abstract Task<IRecordStore> CreateAsync();
    public virtual Task DisposeAsync() => Task.CompletedTask;
    public async Task InitializeAsync() => Repository = await CreateAsync();

    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, 123, TimeSpan.Zero);

    protected static NewAsset Asset(string path, DateTimeOffset? at = null, Dictionary<string, string>? labels = null) => new()
    {
        Path = path,
        Alt = "alt of " + path,
        Labels = labels ?? new Dictionary<string, string>(),
        Tags = ["t1", "t2"],
        Source = "upload",
        CreatedAt = at ?? T0,
        OriginalVariant = Variant(null, at ?? T0),
    };

    protected static VariantRecord Variant(string? transformation, DateTimeOffset at, string key = "originals/x.jpg") => new()
    {
        IsOriginalVariant = transformation is null,
        Transformation = transformation,
        StoreBucket = "assets",
        StoreKey = key,
        Attributes = new VariantAttributes(4000, 3000, "jpg", 1, 0, "srgb", 123_456),
        CreatedAt = at,
    };

    [Fact]
    public async Task Stored_bytes_are_summed_per_bucket_and_deleted_assets_leave_them()
    {
        (await Repository.StoredBytesByBucketAsync(default)).Should().BeEmpty();
        var a = await Repository.CreateAsync(Asset("/sum/a"), default); // 123 456 bytes in "assets"
        var b = await Repository.CreateAsync(Asset("/sum/b") with
        {
            OriginalVariant = Variant(null, T0) with { StoreBucket = "archive", Attributes = new VariantAttributes(1, 1, "png", 1, 0, "srgb", 1_000) },
        }, default);
        await Repository.AddVariantAsync("/sum/a", a.EntryId, Variant("w=10", T0, "variants/a10.jpg") with
        {
            Attributes = new VariantAttributes(10, 8, "jpg", 1, 0, "srgb", 44),
        }, default);
        await Repository.AddVariantAsync("/sum/b", b.EntryId, Variant("w=20", T0, "variants/b20.jpg") with { StoreBucket = "archive" }, default);

        (await Repository.StoredBytesByBucketAsync(default)).Should().Equal(
            new BucketUsage("archive", 2, 1_000 + 123_456), new BucketUsage("assets", 2, 123_456 + 44));

        await Repository.DeleteAsync(new AssetDeletion.Entry("/sum/a", a.EntryId), T0, default);
        (await Repository.StoredBytesByBucketAsync(default)).Should().Equal(new BucketUsage("archive", 2, 124_456));
    }

    [Fact]
    public async Task Entry_ids_start_at_zero_and_count_per_path()
    {
        var ids = new List<long>();
        foreach (var path in new[] { "/a", "/a", "/b", "/a", "/b" })
            ids.Add((await Repository.CreateAsync(Asset(path), default)).EntryId);

        ids.Should().Equal(0, 1, 0, 2, 1);
    }

    [Fact]
    public async Task Concurrent_creates_on_one_path_get_distinct_ids()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => Repository.CreateAsync(Asset("/busy"), default))));

        created.Select(c => c.EntryId).Should().BeEquivalentTo(Enumerable.Range(0, 50).Select(i => (long)i));
    }

    [Fact]
    public async Task Every_field_round_trips()
    {
        var asset = Asset("/users/1/avatar", labels: new() { ["phone"] = "android", ["Ünïcode"] = "välue" }) with
        {
            Source = "url",
            SourceUrl = "https://example.com/a.jpg",
            OriginalVariant = Variant(null, T0) with
            {
                Attributes = new VariantAttributes(10, 20, "gif", 3, 2, "grayscale", 999),
                Lqip = new Lqip("LEHV6nWB2yk8pyo0adR*.7kCMdnj", "1QcSHQRnh493V4dIh4eXh1h4kJUI"),
            },
        };

        var created = await Repository.CreateAsync(asset, default);
        var loaded = await Repository.GetAsync("/users/1/avatar", created.EntryId, VariantScope.All, default);

        loaded.Should().BeEquivalentTo(created);
        loaded!.Alt.Should().Be("alt of /users/1/avatar");
        loaded.Labels.Should().Equal(new Dictionary<string, string> { ["phone"] = "android", ["Ünïcode"] = "välue" });
        loaded.Tags.Should().Equal("t1", "t2");
        loaded.Source.Should().Be("url");
        loaded.SourceUrl.Should().Be("https://example.com/a.jpg");
        loaded.CreatedAt.Should().Be(T0);
        loaded.ModifiedAt.Should().Be(T0);
        loaded.OriginalVariant.Attributes.Should().Be(new VariantAttributes(10, 20, "gif", 3, 2, "grayscale", 999));
        loaded.OriginalVariant.Lqip.Should().Be(new Lqip("LEHV6nWB2yk8pyo0adR*.7kCMdnj", "1QcSHQRnh493V4dIh4eXh1h4kJUI"));
        loaded.OriginalVariant.CreatedAt.Should().Be(T0);
        (await Repository.GetAsync("/users/1/avatar", 99, VariantScope.All, default)).Should().BeNull();
        (await Repository.GetAsync("/users/1/other", 0, VariantScope.All, default)).Should().BeNull();
    }

    [Fact]
    public async Task Absent_optional_fields_round_trip_as_absent()
    {
        var asset = Asset("/bare") with { Alt = null, Tags = [], SourceUrl = null, OriginalVariant = Variant(null, T0) with { Lqip = new Lqip(null, "th") } };

        var created = await Repository.CreateAsync(asset, default);
        var loaded = await Repository.GetAsync("/bare", created.EntryId, VariantScope.All, default);

        loaded.Should().BeEquivalentTo(created);
        loaded!.Alt.Should().BeNull();
        loaded.SourceUrl.Should().BeNull();
        loaded.Labels.Should().BeEmpty();
        loaded.Tags.Should().BeEmpty();
        loaded.OriginalVariant.Lqip.Should().Be(new Lqip(null, "th"));
        loaded.OriginalVariant.Transformation.Should().BeNull();
        loaded.OriginalVariant.IsOriginalVariant.Should().BeTrue();
    }

    [Fact]
    public async Task Times_keep_millisecond_precision_and_come_back_in_utc()
    {
        // 10:00:00.1234567 at +02:00: the sub-millisecond ticks are dropped, the instant is kept.
        var local = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var created = await Repository.CreateAsync(Asset("/time", local), default);
        var variant = await Repository.AddVariantAsync("/time", created.EntryId, Variant("w=1", local.AddTicks(5)), default);

        var loaded = (await Repository.GetAsync("/time", created.EntryId, VariantScope.All, default))!;

        var expected = new DateTimeOffset(2026, 11, 23, 8, 0, 0, 123, TimeSpan.Zero);
        foreach (var time in new[] { created.CreatedAt, loaded.CreatedAt, loaded.ModifiedAt, loaded.Variants[0].CreatedAt, loaded.Variants[1].CreatedAt, variant!.CreatedAt })
        {
            time.Should().Be(expected);
            time.Offset.Should().Be(TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task Malformed_variants_are_refused()
    {
        var notOriginal = Asset("/bad") with { OriginalVariant = Variant("w=1", T0) };
        var originalAsVariant = Variant(null, T0);

        await FluentActions.Awaiting(() => Repository.CreateAsync(notOriginal, default)).Should().ThrowAsync<ArgumentException>();
        var created = await Repository.CreateAsync(Asset("/bad"), default);
        await FluentActions.Awaiting(() => Repository.AddVariantAsync("/bad", created.EntryId, originalAsVariant, default))
            .Should().ThrowAsync<ArgumentException>();
        created.EntryId.Should().Be(0, "a refused asset allocates no entry id");
    }

    [Fact]
    public async Task Find_orders_newest_first_and_honours_the_limit()
    {
        for (var i = 0; i < 3; i++) await Repository.CreateAsync(Asset("/o", T0.AddMinutes(i)), default);
        await Repository.CreateAsync(Asset("/o/deeper", T0.AddHours(1)), default);

        async Task<long[]> Ids(AssetOrder order, int limit) =>
            (await Repository.FindAsync(new AssetQuery("/o", order, limit), default)).Select(a => a.EntryId).ToArray();

        (await Ids(AssetOrder.Created, 1)).Should().Equal(2);
        (await Ids(AssetOrder.Created, 2)).Should().Equal(2, 1);
        (await Ids(AssetOrder.Created, -1)).Should().Equal(2, 1, 0);
        (await Ids(AssetOrder.Modified, 1)).Should().Equal(2);
        (await Ids(AssetOrder.Modified, 2)).Should().Equal(2, 1);
        (await Ids(AssetOrder.Modified, -1)).Should().Equal(2, 1, 0);
        (await Repository.FindAsync(new AssetQuery("/nothing"), default)).Should().BeEmpty();
    }

    [Fact]
    public async Task Equal_times_order_by_entry_id()
    {
        for (var i = 0; i < 3; i++) await Repository.CreateAsync(Asset("/same"), default);

        (await Repository.FindAsync(new AssetQuery("/same", AssetOrder.Created, -1), default)).Select(a => a.EntryId).Should().Equal(2, 1, 0);
    }

    [Fact]
    public async Task Label_filters_need_every_pair()
    {
        await Repository.CreateAsync(Asset("/l", T0, new() { ["phone"] = "android", ["size"] = "s" }), default);
        await Repository.CreateAsync(Asset("/l", T0.AddSeconds(1), new() { ["phone"] = "ios", ["size"] = "s" }), default);
        await Repository.CreateAsync(Asset("/l", T0.AddSeconds(2)), default);

        async Task<long[]> Ids(Dictionary<string, string> labels) =>
            (await Repository.FindAsync(new AssetQuery("/l", Limit: -1, Labels: labels), default)).Select(a => a.EntryId).ToArray();

        (await Ids(new() { ["phone"] = "android" })).Should().Equal(0);
        (await Ids(new() { ["size"] = "s" })).Should().Equal(1, 0);
        (await Ids(new() { ["size"] = "s", ["phone"] = "ios" })).Should().Equal(1);
        (await Ids(new() { ["phone"] = "Android" })).Should().BeEmpty();
        (await Ids(new())).Should().Equal(2, 1, 0);
    }

    [Fact]
    public async Task A_variant_is_recorded_once_per_transformation_and_listed_after_the_original()
    {
        var asset = await Repository.CreateAsync(Asset("/v"), default);
        var first = Variant("w=100&format=webp&q=80", T0.AddSeconds(1), "variants/first.webp");
        var second = Variant("w=100&format=webp&q=80", T0.AddSeconds(2), "variants/second.webp");
        var other = Variant("w=200&format=webp&q=80", T0.AddSeconds(3), "variants/other.webp");

        (await Repository.AddVariantAsync("/v", asset.EntryId, first, default)).Should().BeEquivalentTo(first);
        (await Repository.AddVariantAsync("/v", asset.EntryId, second, default))!.StoreKey.Should().Be("variants/first.webp");
        await Repository.AddVariantAsync("/v", asset.EntryId, other, default);

        var loaded = await Repository.GetAsync("/v", asset.EntryId, VariantScope.All, default);
        loaded!.Variants.Select(v => v.StoreKey).Should().Equal("originals/x.jpg", "variants/first.webp", "variants/other.webp");
        loaded.Variants[1].Transformation.Should().Be("w=100&format=webp&q=80");
        loaded.Variants[1].IsOriginalVariant.Should().BeFalse();
    }

    [Fact]
    public async Task Concurrent_adds_of_one_transformation_all_get_the_single_recorded_variant()
    {
        var asset = await Repository.CreateAsync(Asset("/race"), default);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            Repository.AddVariantAsync("/race", asset.EntryId, Variant("w=50", T0, $"variants/{i}.webp"), default))));

        results.Select(r => r!.StoreKey).Distinct().Should().ContainSingle();
        var loaded = await Repository.GetAsync("/race", asset.EntryId, VariantScope.All, default);
        loaded!.Variants.Should().HaveCount(2);
        loaded.Variants[1].StoreKey.Should().Be(results[0]!.StoreKey);
    }

    [Fact]
    public async Task Adding_a_variant_to_a_missing_asset_returns_null() =>
        (await Repository.AddVariantAsync("/missing", 0, Variant("w=1", T0), default)).Should().BeNull();

    [Fact]
    public async Task Update_replaces_information_and_moves_modified_past_the_previous_value()
    {
        var created = await Repository.CreateAsync(Asset("/u", labels: new() { ["a"] = "1" }), default);

        var updated = await Repository.UpdateAsync("/u", created.EntryId,
            new AssetInformation("new alt", new Dictionary<string, string> { ["b"] = "2" }, ["x"]), T0, default);
        var again = await Repository.UpdateAsync("/u", created.EntryId, new AssetInformation(null, new Dictionary<string, string>(), []), T0, default);

        updated!.Alt.Should().Be("new alt");
        updated.Labels.Should().Equal(new Dictionary<string, string> { ["b"] = "2" });
        updated.Tags.Should().Equal("x");
        updated.CreatedAt.Should().Be(T0);
        updated.ModifiedAt.Should().Be(T0.AddMilliseconds(1), "an update at the creation instant still moves modifiedAt");
        again!.ModifiedAt.Should().Be(T0.AddMilliseconds(2));
        again.Alt.Should().BeNull();
        again.Labels.Should().BeEmpty();
        again.Variants.Should().BeEquivalentTo(created.Variants);
        (await Repository.GetAsync("/u", created.EntryId, VariantScope.All, default)).Should().BeEquivalentTo(again);
        (await Repository.FindAsync(new AssetQuery("/u", Labels: new Dictionary<string, string> { ["a"] = "1" }), default)).Should().BeEmpty();
        (await Repository.UpdateAsync("/u", 99, new AssetInformation(null, new Dictionary<string, string>(), []), T0, default)).Should().BeNull();
    }

    [Fact]
    public async Task Modified_order_follows_updates()
    {
        for (var i = 0; i < 3; i++) await Repository.CreateAsync(Asset("/m", T0.AddMinutes(i)), default);

        await Repository.UpdateAsync("/m", 0, new AssetInformation("touched", new Dictionary<string, string>(), []), T0.AddHours(1), default);

        (await Repository.FindAsync(new AssetQuery("/m", AssetOrder.Modified, -1), default)).Select(a => a.EntryId).Should().Equal(0, 2, 1);
        (await Repository.FindAsync(new AssetQuery("/m", AssetOrder.Created, -1), default)).Select(a => a.EntryId).Should().Equal(2, 1, 0);
    }

    [Fact]
    public async Task Deleting_removes_records_and_queues_every_object_in_the_outbox()
    {
        var asset = await Repository.CreateAsync(Asset("/d") with { OriginalVariant = Variant(null, T0, "originals/d.jpg") }, default);
        await Repository.AddVariantAsync("/d", asset.EntryId, Variant("w=1", T0, "variants/d1.webp"), default);

        var deleted = await Repository.DeleteAsync(new AssetDeletion.Entry("/d", asset.EntryId), T0, default);

        deleted.Should().ContainSingle().Which.Variants.Should().HaveCount(2);
        (await Repository.GetAsync("/d", asset.EntryId, VariantScope.All, default)).Should().BeNull();
        var due = await Repository.TakeDueDeletionsAsync(10, T0, TimeSpan.FromMinutes(1), default);
        due.Select(d => (d.Bucket, d.Key)).Should().BeEquivalentTo(new[] { ("assets", "originals/d.jpg"), ("assets", "variants/d1.webp") });
        due.Should().OnlyContain(d => d.Attempts == 0);
        (await Repository.DeleteAsync(new AssetDeletion.Entry("/d", asset.EntryId), T0, default)).Should().BeEmpty("deleting is idempotent");
        (await Repository.CreateAsync(Asset("/d"), default)).EntryId.Should().Be(1, "entry ids are never reused");
    }

    [Fact]
    public async Task Deleting_by_query_honours_order_limit_and_labels()
    {
        for (var i = 0; i < 4; i++)
            await Repository.CreateAsync(Asset("/q", T0.AddMinutes(i), new() { ["kind"] = i % 2 == 0 ? "even" : "odd" }), default);

        var newest = await Repository.DeleteAsync(new AssetDeletion.Matching(new AssetQuery("/q")), T0, default);
        var odd = await Repository.DeleteAsync(new AssetDeletion.Matching(new AssetQuery("/q", Limit: -1,
            Labels: new Dictionary<string, string> { ["kind"] = "odd" })), T0, default);

        newest.Select(a => a.EntryId).Should().Equal(3);
        odd.Select(a => a.EntryId).Should().Equal(1);
        (await Repository.FindAsync(new AssetQuery("/q", Limit: -1), default)).Select(a => a.EntryId).Should().Equal(2, 0);
    }

    [Fact]
    public async Task Recursive_deletes_cover_the_path_and_below_but_not_siblings_sharing_a_prefix()
    {
        foreach (var path in new[] { "/a", "/a/b", "/a/b/c", "/ab", "/a_b", "/b" }) await Repository.CreateAsync(Asset(path), default);

        var deleted = await Repository.DeleteAsync(new AssetDeletion.Recursive("/a"), T0, default);

        deleted.Select(a => a.Path).Should().BeEquivalentTo("/a", "/a/b", "/a/b/c");
        foreach (var path in new[] { "/ab", "/a_b", "/b" }) (await Repository.GetAsync(path, 0, VariantScope.All, default)).Should().NotBeNull(path);
    }

    [Fact]
    public async Task Outbox_entries_are_leased_then_completed_or_retried_later()
    {
        await Repository.CreateAsync(Asset("/o1"), default);
        await Repository.CreateAsync(Asset("/o2"), default);
        await Repository.DeleteAsync(new AssetDeletion.Recursive("/o1"), T0, default);
        await Repository.DeleteAsync(new AssetDeletion.Recursive("/o2"), T0, default);

        var queued = await Repository.CountDeletionsAsync(default);
        var first = await Repository.TakeDueDeletionsAsync(1, T0, TimeSpan.FromMinutes(2), default);
        var second = await Repository.TakeDueDeletionsAsync(10, T0, TimeSpan.FromMinutes(2), default);
        var leased = await Repository.TakeDueDeletionsAsync(10, T0.AddMinutes(1), TimeSpan.FromMinutes(2), default);
        await Repository.CompleteDeletionAsync(first[0].Id, default);
        var pending = await Repository.CountDeletionsAsync(default);
        await Repository.RetryDeletionAsync(second[0].Id, T0.AddMinutes(10), "store down", default);
        var afterLease = await Repository.TakeDueDeletionsAsync(10, T0.AddMinutes(5), TimeSpan.FromMinutes(2), default);
        var retried = await Repository.TakeDueDeletionsAsync(10, T0.AddMinutes(10), TimeSpan.FromMinutes(2), default);

        first.Should().ContainSingle();
        second.Should().ContainSingle().Which.Id.Should().NotBe(first[0].Id);
        leased.Should().BeEmpty("both entries are leased");
        afterLease.Should().BeEmpty("the completed entry is gone and the failed one waits for its retry time");
        retried.Should().ContainSingle().Which.Attempts.Should().Be(1);
        queued.Should().Be(2, "the backlog counts entries whether due, leased or not");
        pending.Should().Be(1, "a completed entry leaves the backlog");
    }

    [Fact]
    public async Task Variant_use_is_recorded_and_old_variants_are_found_and_removed_into_the_outbox()
    {
        var asset = await Repository.CreateAsync(Asset("/exp"), default);
        await Repository.AddVariantAsync("/exp", asset.EntryId, Variant("w=1", T0, "variants/old.webp"), default);
        await Repository.AddVariantAsync("/exp", asset.EntryId, Variant("w=2", T0.AddHours(2), "variants/new.webp"), default);
        await Repository.AddVariantAsync("/exp", asset.EntryId, Variant("w=3", T0, "variants/used.webp"), default);
        await Repository.RecordUsesAsync([new VariantTouch("/exp", asset.EntryId, "w=3", T0.AddHours(3))], default);

        var byCreation = await Repository.FindVariantsOlderThanAsync(T0.AddHours(1), DateTimeOffset.MinValue, null, 10, default);
        var byUse = await Repository.FindVariantsOlderThanAsync(DateTimeOffset.MinValue, T0.AddHours(1), null, 10, default);
        var removed = await Repository.DeleteVariantsAsync(byUse, T0.AddHours(4), default);

        byCreation.Select(u => u.Transformation).Should().BeEquivalentTo("w=1", "w=3");
        byUse.Should().ContainSingle().Which.Should().Be(new VariantUse("/exp", asset.EntryId, "w=1", T0, null));
        removed.Should().Be(1);
        var loaded = (await Repository.GetAsync("/exp", asset.EntryId, VariantScope.All, default))!;
        loaded.Variants.Select(v => v.Transformation).Should().Equal(null, "w=2", "w=3");
        loaded.Variants[2].AccessedAt.Should().Be(T0.AddHours(3));
        var outbox = await Repository.TakeDueDeletionsAsync(10, T0.AddHours(4), TimeSpan.FromMinutes(1), default);
        outbox.Should().ContainSingle().Which.Key.Should().Be("variants/old.webp");
        (await Repository.DeleteVariantsAsync(byUse, T0.AddHours(4), default)).Should().Be(0, "already gone");
        (await Repository.FindVariantsOlderThanAsync(DateTimeOffset.MaxValue.AddYears(-1), DateTimeOffset.MaxValue.AddYears(-1), null, 10, default))
            .Should().OnlyContain(u => u.Transformation != null, "originals are never candidates");
    }

    [Fact]
    public async Task Referenced_keys_are_those_of_recorded_variants_in_that_bucket()
    {
        var asset = await Repository.CreateAsync(Asset("/ref") with { OriginalVariant = Variant(null, T0, "originals/r.jpg") }, default);
        await Repository.AddVariantAsync("/ref", asset.EntryId, Variant("w=1", T0, "variants/r1.webp"), default);

        var referenced = await Repository.FindReferencedKeysAsync("assets",
            ["originals/r.jpg", "variants/r1.webp", "variants/orphan.webp"], default);

        referenced.Should().BeEquivalentTo("originals/r.jpg", "variants/r1.webp");
        (await Repository.FindReferencedKeysAsync("other-bucket", ["originals/r.jpg"], default)).Should().BeEmpty();
        (await Repository.FindReferencedKeysAsync("assets", [], default)).Should().BeEmpty();
    }

    [Fact]
    public async Task More_label_filters_than_allowed_are_refused_as_input_and_the_allowed_number_works()
    {
        var fifty = Enumerable.Range(0, AssetQuery.MaxLabelFilters).ToDictionary(i => $"k{i}", _ => "v");
        var tooMany = Enumerable.Range(0, 1100).ToDictionary(i => $"k{i}", _ => "v");
        await Repository.CreateAsync(Asset("/many", labels: fifty), default);

        (await Repository.FindAsync(new AssetQuery("/many", Labels: fifty), default)).Should().ContainSingle();
        await FluentActions.Awaiting(() => Repository.FindAsync(new AssetQuery("/many", Labels: tooMany), default))
            .Should().ThrowAsync<StorageInputRejectedException>();
        await FluentActions.Awaiting(() => Repository.DeleteAsync(new AssetDeletion.Recursive("/many", tooMany), T0, default))
            .Should().ThrowAsync<StorageInputRejectedException>();
        (await Repository.GetAsync("/many", 0, VariantScope.Original, default)).Should().NotBeNull("nothing was deleted");
    }

    [Fact]
    public async Task Old_variants_are_paged_least_recently_used_first_without_skips_or_repeats()
    {
        await Repository.CreateAsync(Asset("/page"), default);
        for (var i = 0; i < 7; i++)
            await Repository.AddVariantAsync("/page", 0, Variant($"w={i}", T0.AddMinutes(i % 3), $"variants/p{i}.webp"), default);

        var seen = new List<VariantUse>();
        VariantUse? after = null;
        for (var page = 0; page < 10; page++)
        {
            var found = await Repository.FindVariantsOlderThanAsync(T0.AddHours(1), DateTimeOffset.MinValue, after, 3, default);
            seen.AddRange(found);
            if (found.Count < 3) break;
            after = found[^1];
        }

        seen.Select(u => u.Transformation).Should().OnlyHaveUniqueItems().And.HaveCount(7);
        seen.Select(u => u.LastUsed).Should().BeInAscendingOrder();
    }

    [Fact]
    public async Task Recorded_uses_only_move_forward_and_ignore_variants_that_are_gone()
    {
        await Repository.CreateAsync(Asset("/use"), default);
        await Repository.AddVariantAsync("/use", 0, Variant("w=1", T0, "variants/u1.webp"), default);

        await Repository.RecordUsesAsync([
            new VariantTouch("/use", 0, "w=1", T0.AddHours(2)),
            new VariantTouch("/use", 0, "w=404", T0.AddHours(2)),
            new VariantTouch("/gone", 0, "w=1", T0.AddHours(2)),
        ], default);
        await Repository.RecordUsesAsync([new VariantTouch("/use", 0, "w=1", T0.AddHours(1))], default);

        (await Repository.FindVariantAsync("/use", 0, "w=1", default))!.AccessedAt.Should().Be(T0.AddHours(2));
    }

    [Fact]
    public async Task Health_check_passes() => await Repository.CheckHealthAsync(default);
}

public sealed class InMemoryAssetRepositoryTests : AssetRepositoryContract
{
    protected override Task<IRecordStore> CreateAsync() => Task.FromResult<IRecordStore>(new InMemoryAssetRepository());
}

public sealed class SqliteAssetRepositoryTests : AssetRepositoryContract
{
    private readonly string _folder = Directory.CreateTempSubdirectory("direkt-sqlite-").FullName;
    private string DatabasePath => Path.Combine(_folder, "data", "direkt.db");

    protected override async Task<IRecordStore> CreateAsync()
    {
        var repository = SqlAssetRepository.Sqlite(DatabasePath);
        await repository.MigrateAsync(default);
        return repository;
    }

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Migrations_are_idempotent_and_data_survives_a_new_instance()
    {
        var created = await Repository.CreateAsync(Asset("/keep"), default);
        await ((SqlAssetRepository)Repository).MigrateAsync(default);

        var reopened = SqlAssetRepository.Sqlite(DatabasePath);
        await reopened.MigrateAsync(default);

        (await reopened.GetAsync("/keep", created.EntryId, VariantScope.All, default)).Should().BeEquivalentTo(created);
        (await reopened.CreateAsync(Asset("/keep"), default)).EntryId.Should().Be(1);
    }

    [Fact]
    public async Task Two_instances_migrating_at_once_both_succeed()
    {
        var path = Path.Combine(_folder, "concurrent.db");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SqlAssetRepository.Sqlite(path).MigrateAsync(default))));

        (await SqlAssetRepository.Sqlite(path).CreateAsync(Asset("/x"), default)).EntryId.Should().Be(0);
    }

    [Fact]
    public async Task Each_migration_is_recorded_once()
    {
        await ((SqlAssetRepository)Repository).MigrateAsync(default);
        await SqlAssetRepository.Sqlite(DatabasePath).MigrateAsync(default);

        (await ScalarAsync("SELECT COUNT(*) FROM schema_version")).Should().Be(await ScalarAsync("SELECT COUNT(DISTINCT version) FROM schema_version"));
        (await ScalarAsync("SELECT MIN(version) FROM schema_version")).Should().Be(1L);
        (await ScalarAsync("PRAGMA journal_mode")).Should().Be("wal");
    }

    [Fact]
    public async Task The_schema_allows_one_original_per_asset()
    {
        await Repository.CreateAsync(Asset("/one"), default);

        var act = () => ScalarAsync("""
            INSERT INTO variants (asset_id, is_original, transformation, store_bucket, store_key, width, height, format, page_count,
                                  loop, color_space, bytes, created_at)
            SELECT asset_id, 1, NULL, 'assets', 'other', 1, 1, 'jpg', 1, 0, 'srgb', 1, 0 FROM variants
            """);

        await act.Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>().Where(e => e.SqliteErrorCode == 19); // CONSTRAINT
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_a_storage_outage()
    {
        var path = Path.Combine(_folder, "garbage.db");
        await File.WriteAllBytesAsync(path, Enumerable.Repeat((byte)0x5A, 8192).ToArray());

        var act = () => SqlAssetRepository.Sqlite(path).MigrateAsync(default);

        await act.Should().ThrowAsync<StorageUnavailableException>();
    }

    [Fact]
    public async Task A_database_locked_by_another_writer_is_a_storage_outage()
    {
        var impatient = SqlAssetRepository.Sqlite(DatabasePath, lockTimeout: TimeSpan.FromMilliseconds(100));
        await using var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await holder.OpenAsync();
        await using var transaction = holder.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: holds the write lock

        var act = () => impatient.CreateAsync(Asset("/locked"), default);

        await act.Should().ThrowAsync<StorageUnavailableException>();
        (await impatient.GetAsync("/locked", 0, VariantScope.All, default)).Should().BeNull("readers are not blocked by a writer in WAL mode");
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task Entry_ids_are_never_reused_after_the_rows_are_gone()
    {
        await Repository.CreateAsync(Asset("/reuse"), default);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath}"))
        {
            await connection.OpenAsync();
            var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM assets";
            await delete.ExecuteNonQueryAsync();
        }

        (await Repository.CreateAsync(Asset("/reuse"), default)).EntryId.Should().Be(1);
    }
}

/// <summary>The contract against a real PostgreSQL server (started by scripts/test), each test in a database of its own.</summary>
public sealed class PostgresAssetRepositoryTests : AssetRepositoryContract
{
    private TestDatabase _database = null!;
    private readonly List<SqlAssetRepository> _opened = [];

    protected override async Task<IRecordStore> CreateAsync()
    {
        _database = await TestDatabase.CreateAsync();
        return await OpenAsync();
    }

    private async Task<SqlAssetRepository> OpenAsync()
    {
        var repository = SqlAssetRepository.Postgres(_database.ConnectionString);
        _opened.Add(repository);
        await repository.MigrateAsync(default);
        return repository;
    }

    public override async Task DisposeAsync()
    {
        foreach (var repository in _opened) await repository.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Migrations_are_idempotent_and_data_survives_a_new_instance()
    {
        var created = await Repository.CreateAsync(Asset("/keep"), default);
        await ((SqlAssetRepository)Repository).MigrateAsync(default);

        var reopened = await OpenAsync();

        (await reopened.GetAsync("/keep", created.EntryId, VariantScope.All, default)).Should().BeEquivalentTo(created);
        (await reopened.CreateAsync(Asset("/keep"), default)).EntryId.Should().Be(1);
        (await _database.ScalarAsync("SELECT count(*) - count(DISTINCT version) FROM schema_version")).Should().Be(0L);
    }

    [Fact]
    public async Task Instances_migrating_a_fresh_database_at_once_all_succeed_and_each_migration_runs_once()
    {
        await using var fresh = await TestDatabase.CreateAsync();
        var instances = Enumerable.Range(0, 6).Select(_ => SqlAssetRepository.Postgres(fresh.ConnectionString)).ToList();

        await Task.WhenAll(instances.Select(i => Task.Run(() => i.MigrateAsync(default))));

        (await fresh.ScalarAsync("SELECT count(*) - count(DISTINCT version) FROM schema_version")).Should().Be(0L);
        (await fresh.ScalarAsync("SELECT min(version) FROM schema_version")).Should().Be(1);
        (await instances[3].CreateAsync(Asset("/x"), default)).EntryId.Should().Be(0);
        foreach (var instance in instances) await instance.DisposeAsync();
    }

    [Fact]
    public async Task Two_instances_allocating_ids_on_one_path_at_once_never_collide()
    {
        var other = await OpenAsync();
        var repositories = new IRecordStore[] { Repository, other };

        var created = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() =>
            repositories[i % 2].CreateAsync(Asset("/shared"), default))));

        created.Select(c => c.EntryId).Should().BeEquivalentTo(Enumerable.Range(0, 60).Select(i => (long)i));
        (await other.FindAsync(new AssetQuery("/shared", Limit: -1), default)).Should().HaveCount(60);
    }

    [Fact]
    public async Task Two_instances_racing_on_one_variant_record_it_once()
    {
        var other = await OpenAsync();
        var asset = await Repository.CreateAsync(Asset("/race2"), default);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Repository : other).AddVariantAsync("/race2", asset.EntryId, Variant("w=50", DateTimeOffset.UtcNow, $"variants/{i}.webp"), default))));

        results.Select(r => r!.StoreKey).Distinct().Should().ContainSingle();
        (await _database.ScalarAsync("SELECT count(*) FROM variants WHERE transformation = 'w=50'")).Should().Be(1L);
    }

    [Fact]
    public async Task The_schema_allows_one_original_per_asset_and_ties_originals_to_no_transformation()
    {
        await Repository.CreateAsync(Asset("/one"), default);

        var secondOriginal = () => _database.ScalarAsync("""
            INSERT INTO variants (asset_id, is_original, transformation, store_bucket, store_key, width, height, format, page_count,
                                  loop, color_space, bytes, created_at)
            SELECT asset_id, true, NULL, 'assets', 'other', 1, 1, 'jpg', 1, 0, 'srgb', 1, now() FROM variants
            """);
        var originalWithTransformation = () => _database.ScalarAsync("""
            INSERT INTO variants (asset_id, is_original, transformation, store_bucket, store_key, width, height, format, page_count,
                                  loop, color_space, bytes, created_at)
            SELECT asset_id, true, 'w=1', 'assets', 'other', 1, 1, 'jpg', 1, 0, 'srgb', 1, now() FROM variants
            """);

        (await secondOriginal.Should().ThrowAsync<Npgsql.PostgresException>()).Which.SqlState.Should().Be("23505");
        (await originalWithTransformation.Should().ThrowAsync<Npgsql.PostgresException>()).Which.SqlState.Should().Be("23514");
    }

    [Fact]
    public async Task Label_queries_and_path_prefixes_have_indexes()
    {
        var indexes = (string)(await _database.ScalarAsync(
            "SELECT string_agg(indexdef, E'\\n') FROM pg_indexes WHERE tablename = 'assets'"))!;

        indexes.Should().Contain("gin").And.Contain("jsonb_path_ops").And.Contain("text_pattern_ops");
    }

    [Fact]
    public async Task An_unreachable_server_is_a_storage_outage()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(_database.ConnectionString) { Port = 1, Timeout = 2 };
        await using var unreachable = SqlAssetRepository.Postgres(builder.ConnectionString);

        await FluentActions.Awaiting(() => unreachable.CheckHealthAsync(default)).Should().ThrowAsync<StorageUnavailableException>();
        await FluentActions.Awaiting(() => unreachable.CreateAsync(Asset("/x"), default)).Should().ThrowAsync<StorageUnavailableException>();
    }

    [Fact]
    public async Task Input_PostgreSQL_refuses_is_rejected_input_never_an_error_or_an_outage()
    {
        await Repository.CreateAsync(Asset("/nul"), default);

        await FluentActions.Awaiting(() => Repository.FindAsync(new AssetQuery("/nul", Labels: new Dictionary<string, string> { ["k"] = "a\0b" }), default))
            .Should().ThrowAsync<StorageInputRejectedException>();
        await FluentActions.Awaiting(() => Repository.CreateAsync(Asset("/nul") with { Alt = "a\0b" }, default))
            .Should().ThrowAsync<StorageInputRejectedException>();
        await FluentActions.Awaiting(() => Repository.CreateAsync(Asset("/nul", labels: new() { ["k\0"] = "v" }), default))
            .Should().ThrowAsync<StorageInputRejectedException>();
        await FluentActions.Awaiting(() => Repository.GetAsync("/nul\0", 0, VariantScope.Original, default))
            .Should().ThrowAsync<StorageInputRejectedException>();
        await FluentActions.Awaiting(() => Repository.CreateAsync(Asset("/nul") with { Alt = "half a pair \ud800" }, default))
            .Should().ThrowAsync<StorageInputRejectedException>("text that is not valid UTF-16 cannot be sent as UTF-8");
        (await Repository.CreateAsync(Asset("/nul"), default)).EntryId.Should().Be(1, "refused input allocated no entry id");
    }

    [Fact]
    public async Task A_missing_database_is_a_storage_outage_naming_it()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(_database.ConnectionString) { Database = "no_such_database" };
        await using var missing = SqlAssetRepository.Postgres(builder.ConnectionString);

        (await FluentActions.Awaiting(() => missing.MigrateAsync(default)).Should().ThrowAsync<StorageUnavailableException>())
            .WithMessage("*no_such_database*");
    }
}
