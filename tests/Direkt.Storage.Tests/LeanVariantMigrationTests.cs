using Direkt.Storage.Records;
using Direkt.Storage.Records.Sql;
using Direkt.TestServices;

namespace Direkt.Storage.Tests;

/// <summary>
/// Migration 4 (issue 11): variants stored before `strip` stripped metadata by default would now be served as stripped; the
/// migration removes every generated variant record and queues its object in the outbox, in one transaction, keeping originals.
/// </summary>
public abstract class LeanVariantMigrationContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    protected abstract Task<SqlAssetRepository> OpenAsync();
    public abstract Task DisposeAsync();
    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Generated_variants_made_before_lean_variants_go_to_the_outbox_and_originals_stay()
    {
        var repository = await OpenAsync();
        await repository.MigrateAsync(SqlSchema.LeanVariants - 1, default);
        foreach (var path in new[] { "/a", "/b" })
            await repository.CreateAsync(new NewAsset
            {
                Path = path, Source = "upload", CreatedAt = T0, OriginalVariant = Variant(null, $"originals{path}.jpg"),
            }, default);
        await repository.AddVariantAsync("/a", 0, Variant("w=1&format=webp", "variants/a1.webp"), default);
        await repository.AddVariantAsync("/a", 0, Variant("w=2&format=webp", "variants/a2.webp"), default);
        await repository.AddVariantAsync("/b", 0, Variant("w=1&format=jpg", "variants/b1.jpg"), default);

        await repository.MigrateAsync(default);

        foreach (var path in new[] { "/a", "/b" })
            (await repository.GetAsync(path, 0, VariantScope.All, default))!.Variants.Should().ContainSingle()
                .Which.StoreKey.Should().Be($"originals{path}.jpg");
        var outbox = await repository.TakeDueDeletionsAsync(10, DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.FromMinutes(1), default);
        outbox.Select(o => (o.Bucket, o.Key)).Should().BeEquivalentTo(new[]
        {
            ("assets", "variants/a1.webp"), ("assets", "variants/a2.webp"), ("assets", "variants/b1.jpg"),
        });
        (await repository.AddVariantAsync("/a", 0, Variant("w=1&format=webp", "variants/a1-lean.webp"), default))!.StoreKey
            .Should().Be("variants/a1-lean.webp", "the variant is made again on demand");
    }

    [Fact]
    public async Task The_migration_runs_once_so_later_variants_are_kept()
    {
        var repository = await OpenAsync();
        await repository.MigrateAsync(default);
        await repository.CreateAsync(new NewAsset { Path = "/c", Source = "upload", CreatedAt = T0, OriginalVariant = Variant(null, "originals/c.jpg") },
            default);
        await repository.AddVariantAsync("/c", 0, Variant("w=1&format=webp", "variants/c1.webp"), default);

        await repository.MigrateAsync(default);

        (await repository.GetAsync("/c", 0, VariantScope.All, default))!.Variants.Should().HaveCount(2);
        (await repository.TakeDueDeletionsAsync(10, DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.FromMinutes(1), default)).Should().BeEmpty();
    }

    private static VariantRecord Variant(string? transformation, string key) => new()
    {
        IsOriginalVariant = transformation is null, Transformation = transformation, StoreBucket = "assets", StoreKey = key,
        Attributes = new VariantAttributes(10, 10, "jpg", 1, 0, "srgb", 100), CreatedAt = T0,
    };
}

public sealed class SqliteLeanVariantMigrationTests : LeanVariantMigrationContract
{
    private readonly string _folder = Directory.CreateTempSubdirectory("direkt-lean-").FullName;

    protected override Task<SqlAssetRepository> OpenAsync() => Task.FromResult(SqlAssetRepository.Sqlite(Path.Combine(_folder, "direkt.db")));

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class PostgresLeanVariantMigrationTests : LeanVariantMigrationContract
{
    private TestDatabase? _database;
    private SqlAssetRepository? _repository;

    protected override async Task<SqlAssetRepository> OpenAsync()
    {
        _database = await TestDatabase.CreateAsync();
        return _repository = SqlAssetRepository.Postgres(_database.ConnectionString);
    }

    public override async Task DisposeAsync()
    {
        if (_repository is not null) await _repository.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}
