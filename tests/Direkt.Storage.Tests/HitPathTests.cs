using System.Data.Common;
using Direkt.Storage.Records;
using Direkt.Storage.Records.Sql;
using Direkt.TestServices;

namespace Direkt.Storage.Tests;

/// <summary>The statements a SQL repository sends, kept with their parameters so a test can count them and explain their plans.</summary>
public sealed class StatementLog : ISqlStatementObserver
{
    private readonly List<(string Sql, (string Name, object Value)[] Parameters)> _statements = [];

    public IReadOnlyList<(string Sql, (string Name, object Value)[] Parameters)> Statements
    {
        get { lock (_statements) return _statements.ToList(); }
    }

    public void Executing(DbCommand command)
    {
        var parameters = command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value!)).ToArray();
        lock (_statements) _statements.Add((command.CommandText, parameters));
    }

    public void Clear()
    {
        lock (_statements) _statements.Clear();
    }
}

/// <summary>
/// Issue 11: serving a stored variant costs at most two point statements — the asset with its original only, then the variant by
/// (asset, canonical key) — whatever the number of variants, and neither scans the variants table.
/// </summary>
public abstract class HitPathContract : IAsyncLifetime
{
    protected const int VariantCount = 1000;
    protected StatementLog Log { get; } = new();
    protected SqlAssetRepository Repository { get; private set; } = null!;

    protected abstract Task<SqlAssetRepository> CreateAsync(ISqlStatementObserver observer);

    /// <summary>The plan of a statement, one line per step, as the database explains it.</summary>
    protected abstract Task<IReadOnlyList<string>> ExplainAsync(string sql, (string Name, object Value)[] parameters);

    /// <summary>Inserts variants "w={i}&amp;format=webp" of /busy for i in [from, to], straight into the table.</summary>
    protected abstract Task AddVariantRowsAsync(int from, int to);

    /// <summary>Whether a plan line reads the whole variants table.</summary>
    protected abstract bool ScansVariants(string planLine);

    public virtual Task DisposeAsync() => Repository.DisposeAsync().AsTask();

    public async Task InitializeAsync()
    {
        Repository = await CreateAsync(Log);
        var at = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        foreach (var path in new[] { "/busy", "/other" })
        {
            await Repository.CreateAsync(new NewAsset
            {
                Path = path, Source = "upload", CreatedAt = at,
                OriginalVariant = Variant(null, at, $"originals{path}.jpg"),
            }, default);
        }
        await Repository.AddVariantAsync("/busy", 0, Variant("w=0&format=webp", at, "variants/0.webp"), default);
        await AddVariantRowsAsync(1, VariantCount - 1); // one statement: a thousand AddVariantAsync round trips per test are slow
        Log.Clear();
    }

    private static VariantRecord Variant(string? transformation, DateTimeOffset at, string key) => new()
    {
        IsOriginalVariant = transformation is null, Transformation = transformation, StoreBucket = "assets", StoreKey = key,
        Attributes = new VariantAttributes(10, 10, "webp", 1, 0, "srgb", 100), CreatedAt = at,
    };

    [Fact]
    public async Task An_uncached_hit_by_entry_id_is_two_point_statements_without_the_other_variants()
    {
        var asset = await Repository.GetAsync("/busy", 0, VariantScope.Original, default);
        var variant = await Repository.FindVariantAsync("/busy", 0, "w=777&format=webp", default);

        asset!.Variants.Should().ContainSingle().Which.StoreKey.Should().Be("originals/busy.jpg");
        variant!.StoreKey.Should().Be("variants/777.webp");
        Log.Statements.Should().HaveCount(2);
        await ShouldUseIndexesAsync();
    }

    [Fact]
    public async Task An_uncached_hit_on_the_latest_asset_is_two_point_statements_too()
    {
        var found = await Repository.FindAsync(new AssetQuery("/busy", Variants: VariantScope.Original), default);
        var variant = await Repository.FindVariantAsync("/busy", found[0].EntryId, "w=3&format=webp", default);

        found.Should().ContainSingle().Which.Variants.Should().ContainSingle(v => v.IsOriginalVariant);
        variant!.StoreKey.Should().Be("variants/3.webp");
        Log.Statements.Should().HaveCount(2);
        await ShouldUseIndexesAsync();
    }

    [Fact]
    public async Task A_variant_that_is_not_stored_is_one_statement_and_null()
    {
        (await Repository.FindVariantAsync("/busy", 0, "w=1&format=avif", default)).Should().BeNull();
        (await Repository.FindVariantAsync("/other", 0, "w=1&format=webp", default)).Should().BeNull("variants belong to their own asset");
        (await Repository.FindVariantAsync("/busy", 0, "", default)).Should().BeNull("the original is no generated variant");

        Log.Statements.Should().HaveCount(3);
    }

    [Fact]
    public async Task Asset_information_still_lists_every_variant_through_its_own_query()
    {
        var all = await Repository.GetAsync("/busy", 0, VariantScope.All, default);

        all!.Variants.Should().HaveCount(VariantCount + 1);
        all.Variants[0].IsOriginalVariant.Should().BeTrue();
    }

    private async Task ShouldUseIndexesAsync()
    {
        foreach (var (sql, parameters) in Log.Statements)
        {
            var plan = await ExplainAsync(sql, parameters);
            plan.Should().NotBeEmpty();
            plan.Should().NotContain(line => ScansVariants(line), $"the statement must seek an index:\n{sql}\nplan:\n{string.Join('\n', plan)}");
        }
    }
}

public sealed class SqliteHitPathTests : HitPathContract
{
    private readonly string _folder = Directory.CreateTempSubdirectory("direkt-hit-").FullName;
    private string DatabasePath => Path.Combine(_folder, "direkt.db");

    protected override async Task<SqlAssetRepository> CreateAsync(ISqlStatementObserver observer)
    {
        var repository = SqlAssetRepository.Sqlite(DatabasePath, observer: observer);
        await repository.MigrateAsync(default);
        return repository;
    }

    protected override async Task<IReadOnlyList<string>> ExplainAsync(string sql, (string Name, object Value)[] parameters)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add(reader.GetString(3));
        return plan;
    }

    protected override async Task AddVariantRowsAsync(int from, int to)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            WITH RECURSIVE n(i) AS (SELECT {from} UNION ALL SELECT i + 1 FROM n WHERE i < {to})
            INSERT INTO variants (asset_id, is_original, transformation, store_bucket, store_key, width, height, format, page_count, loop,
                                  color_space, bytes, created_at)
            SELECT a.id, 0, 'w=' || i || '&format=webp', 'assets', 'variants/' || i || '.webp', 10, 10, 'webp', 1, 0, 'srgb', 100, 0
            FROM n, assets a WHERE a.path = '/busy'
            """;
        (await command.ExecuteNonQueryAsync()).Should().Be(to - from + 1);
    }

    // "SCAN v" or "SCAN variants" is a full pass; "SEARCH v USING INDEX …" is a seek.
    protected override bool ScansVariants(string planLine) =>
        planLine.StartsWith("SCAN v", StringComparison.Ordinal) || planLine.StartsWith("SCAN variants", StringComparison.Ordinal);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed class PostgresHitPathTests : HitPathContract
{
    private TestDatabase _database = null!;

    protected override async Task<SqlAssetRepository> CreateAsync(ISqlStatementObserver observer)
    {
        _database = await TestDatabase.CreateAsync();
        var repository = SqlAssetRepository.Postgres(_database.ConnectionString, observer);
        await repository.MigrateAsync(default);
        return repository;
    }

    protected override async Task<IReadOnlyList<string>> ExplainAsync(string sql, (string Name, object Value)[] parameters)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        // With sequential scans priced out, the planner still picks one where no index can answer: a seq scan then means no index fits.
        await using (var off = new Npgsql.NpgsqlCommand("SET enable_seqscan = off", connection)) await off.ExecuteNonQueryAsync();
        await using var command = new Npgsql.NpgsqlCommand("EXPLAIN " + sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name.TrimStart('@'), value);
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        return plan;
    }

    protected override async Task AddVariantRowsAsync(int from, int to) =>
        (await _database.ScalarAsync($"""
            WITH added AS (
                INSERT INTO variants (asset_id, is_original, transformation, store_bucket, store_key, width, height, format, page_count, loop,
                                      color_space, bytes, created_at)
                SELECT a.id, false, 'w=' || i || '&format=webp', 'assets', 'variants/' || i || '.webp', 10, 10, 'webp', 1, 0, 'srgb', 100, now()
                FROM generate_series({from}, {to}) i, assets a WHERE a.path = '/busy'
                RETURNING 1)
            SELECT count(*) FROM added
            """)).Should().Be((long)(to - from + 1));

    protected override bool ScansVariants(string planLine) => planLine.Contains("Seq Scan on variants", StringComparison.Ordinal);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }
}
