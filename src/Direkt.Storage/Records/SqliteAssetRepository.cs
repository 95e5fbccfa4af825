using System.Text.Json;
using Direkt.Storage.Records.Sql;
using Direkt.Storage.Records.Sqlite;
using Microsoft.Data.Sqlite;

namespace Direkt.Storage.Records;

/// <summary>
/// Asset records in one SQLite file (the embedded default). WAL mode lets readers run beside the single writer; writes take
/// the write lock up front (BEGIN IMMEDIATE) so allocating an entry id never races. Times are stored as unix milliseconds UTC:
/// they round-trip exactly to the millisecond (finer ticks are dropped, the offset comes back as UTC), and sort as integers.
/// Call <see cref="MigrateAsync"/> once at start before anything else.
/// </summary>
public sealed partial class SqliteAssetRepository : IAssetRepository
{
    private static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(30);

    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;

    /// <param name="databasePath">The database file, e.g. "data/direkt.db"; its folder is created.</param>
    /// <param name="lockTimeout">How long a statement waits for another writer's lock before the store counts as unavailable.</param>
    public SqliteAssetRepository(string databasePath, TimeSpan? lockTimeout = null)
    {
        var timeout = lockTimeout ?? DefaultLockTimeout;
        _busyTimeoutMs = (int)Math.Max(1, timeout.TotalMilliseconds);
        var full = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy statement until this many seconds have passed, on top of busy_timeout.
            DefaultTimeout = (int)Math.Ceiling(Math.Max(1, timeout.TotalSeconds)),
        }.ToString();
    }

    public Task MigrateAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await Execute(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken);
        await Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);", cancellationToken);
        foreach (var (version, sql) in SqliteMigrations.All)
        {
            await using var transaction = await BeginImmediateAsync(connection, cancellationToken);
            await using var check = Command(connection, transaction, "SELECT COUNT(*) FROM schema_version WHERE version = $v", ("$v", version));
            if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0) continue;
            await Execute(connection, transaction, sql, cancellationToken);
            await Execute(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES ($v, $t)", cancellationToken,
                ("$v", version), ("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            await transaction.CommitAsync(cancellationToken);
        }
        return 0;
    });

    public Task<AssetRecord> CreateAsync(NewAsset asset, CancellationToken cancellationToken)
    {
        VariantRules.RequireOriginal(asset);
        return Guard(() => InsertAssetAsync(asset, cancellationToken));
    }

    private async Task<AssetRecord> InsertAssetAsync(NewAsset asset, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginImmediateAsync(connection, cancellationToken);

        await using var counter = Command(connection, transaction, """
            INSERT INTO path_counters (path, next_entry_id) VALUES ($path, 1)
            ON CONFLICT (path) DO UPDATE SET next_entry_id = next_entry_id + 1
            RETURNING next_entry_id - 1
            """, ("$path", asset.Path));
        var entryId = (long)(await counter.ExecuteScalarAsync(cancellationToken))!;

        var created = asset.CreatedAt.ToUnixTimeMilliseconds();
        await using var insert = Command(connection, transaction, """
            INSERT INTO assets (path, entry_id, alt, labels, tags, source, source_url, created_at, modified_at)
            VALUES ($path, $entry, $alt, $labels, $tags, $source, $url, $created, $created)
            RETURNING id
            """, ("$path", asset.Path), ("$entry", entryId), ("$alt", asset.Alt), ("$labels", JsonSerializer.Serialize(asset.Labels)),
            ("$tags", JsonSerializer.Serialize(asset.Tags)), ("$source", asset.Source), ("$url", asset.SourceUrl), ("$created", created));
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;

        foreach (var (key, value) in asset.Labels)
            await Execute(connection, transaction, "INSERT INTO asset_labels (asset_id, key, value) VALUES ($id, $k, $v)", cancellationToken,
                ("$id", id), ("$k", key), ("$v", value));
        await InsertVariantAsync(connection, transaction, id, asset.OriginalVariant, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        return new AssetRecord
        {
            Path = asset.Path, EntryId = entryId, Alt = asset.Alt, Labels = asset.Labels, Tags = asset.Tags, Source = asset.Source,
            SourceUrl = asset.SourceUrl, CreatedAt = FromMillis(created), ModifiedAt = FromMillis(created),
            Variants = [asset.OriginalVariant with { CreatedAt = Truncate(asset.OriginalVariant.CreatedAt) }],
        };
    }

    public Task<AssetRecord?> GetAsync(string path, long entryId, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        var found = await QueryAssetsAsync(connection, null, "a.path = $path AND a.entry_id = $entry", "", cancellationToken,
            ("$path", path), ("$entry", entryId));
        return found.FirstOrDefault();
    });

    public Task<IReadOnlyList<AssetRecord>> FindAsync(AssetQuery query, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        var (where, orderAndLimit, parameters) = Selection(new AssetDeletion.Matching(query));
        return (IReadOnlyList<AssetRecord>)await QueryAssetsAsync(connection, null, where, orderAndLimit, cancellationToken, parameters);
    });

    private static (string Where, string OrderAndLimit, (string, object?)[] Parameters) Selection(AssetDeletion selection) =>
        AssetSelectionSql.Build(selection, SqliteDialect.Instance);

    private sealed class SqliteDialect : SqlDialect
    {
        public static readonly SqliteDialect Instance = new();
        public override string Parameter(string name) => "$" + name;
        public override string ParameterName(string name) => "$" + name;

        // Everything from "p/" up to (not including) "p0" in byte order is below p: '0' follows '/'. Index-friendly.
        public override (string, IEnumerable<(string, object?)>) Below(string prefix) =>
            ("(a.path >= $below AND a.path < $beyond)", [("$below", prefix), ("$beyond", prefix[..^1] + "0")]);

        public override (string, IEnumerable<(string, object?)>) Labelled(IReadOnlyDictionary<string, string> labels)
        {
            var conditions = labels.Select((_, i) =>
                $"EXISTS (SELECT 1 FROM asset_labels l WHERE l.asset_id = a.id AND l.key = $k{i} AND l.value = $v{i})");
            var parameters = labels.SelectMany((l, i) => new (string, object?)[] { ($"$k{i}", l.Key), ($"$v{i}", l.Value) });
            return (string.Join(" AND ", conditions), parameters.ToList());
        }

        public override string Text(string jsonColumn) => jsonColumn;
        public override DateTimeOffset ReadTime(System.Data.Common.DbDataReader reader, int ordinal) => FromMillis(reader.GetInt64(ordinal));
        public override bool ReadFlag(System.Data.Common.DbDataReader reader, int ordinal) => reader.GetInt64(ordinal) == 1;
    }

    public Task<AssetRecord?> UpdateAsync(string path, long entryId, AssetInformation information, DateTimeOffset now,
        CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using (var transaction = await BeginImmediateAsync(connection, cancellationToken))
        {
            await using var find = Command(connection, transaction, "SELECT id, modified_at FROM assets WHERE path = $path AND entry_id = $entry",
                ("$path", path), ("$entry", entryId));
            long id, previous;
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken)) return null;
                (id, previous) = (reader.GetInt64(0), reader.GetInt64(1));
            }
            var modified = AssetChangeRules.NextModified(FromMillis(previous), now).ToUnixTimeMilliseconds();
            await Execute(connection, transaction, "UPDATE assets SET alt = $alt, labels = $labels, tags = $tags, modified_at = $m WHERE id = $id",
                cancellationToken, ("$alt", information.Alt), ("$labels", JsonSerializer.Serialize(information.Labels)),
                ("$tags", JsonSerializer.Serialize(information.Tags)), ("$m", modified), ("$id", id));
            await Execute(connection, transaction, "DELETE FROM asset_labels WHERE asset_id = $id", cancellationToken, ("$id", id));
            foreach (var (key, value) in information.Labels)
                await Execute(connection, transaction, "INSERT INTO asset_labels (asset_id, key, value) VALUES ($id, $k, $v)", cancellationToken,
                    ("$id", id), ("$k", key), ("$v", value));
            await transaction.CommitAsync(cancellationToken);
        }
        var found = await QueryAssetsAsync(connection, null, "a.path = $path AND a.entry_id = $entry", "", cancellationToken,
            ("$path", path), ("$entry", entryId));
        return found.FirstOrDefault();
    });

    public Task<IReadOnlyList<AssetRecord>> DeleteAsync(AssetDeletion deletion, DateTimeOffset now, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await BeginImmediateAsync(connection, cancellationToken);
            var (where, orderAndLimit, parameters) = Selection(deletion);
            var doomed = await QueryAssetsAsync(connection, transaction, where, orderAndLimit, cancellationToken, parameters);
            var due = now.ToUnixTimeMilliseconds();
            foreach (var asset in doomed)
            {
                foreach (var variant in asset.Variants)
                    await Execute(connection, transaction,
                        "INSERT INTO deletion_outbox (bucket, key, next_attempt_at, created_at) VALUES ($b, $k, $t, $t)", cancellationToken,
                        ("$b", variant.StoreBucket), ("$k", variant.StoreKey), ("$t", due));
                await Execute(connection, transaction, "DELETE FROM assets WHERE path = $path AND entry_id = $entry", cancellationToken,
                    ("$path", asset.Path), ("$entry", asset.EntryId));
            }
            await transaction.CommitAsync(cancellationToken);
            return (IReadOnlyList<AssetRecord>)doomed;
        });

    public Task<VariantRecord?> AddVariantAsync(string path, long entryId, VariantRecord variant, CancellationToken cancellationToken)
    {
        VariantRules.RequireGenerated(variant);
        return Guard(() => InsertVariantOrGetExistingAsync(path, entryId, variant, cancellationToken));
    }

    private async Task<VariantRecord?> InsertVariantOrGetExistingAsync(string path, long entryId, VariantRecord variant,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginImmediateAsync(connection, cancellationToken);
        await using var find = Command(connection, transaction, "SELECT id FROM assets WHERE path = $path AND entry_id = $entry",
            ("$path", path), ("$entry", entryId));
        if (await find.ExecuteScalarAsync(cancellationToken) is not long assetId) return null;

        var inserted = await InsertVariantAsync(connection, transaction, assetId, variant, cancellationToken);
        VariantRecord? result = variant with { CreatedAt = Truncate(variant.CreatedAt) };
        if (!inserted)
        {
            await using var existing = Command(connection, transaction,
                $"SELECT {VariantColumns} FROM variants v WHERE v.asset_id = $id AND v.transformation IS $t",
                ("$id", assetId), ("$t", variant.Transformation));
            await using var reader = await existing.ExecuteReaderAsync(cancellationToken);
            result = await reader.ReadAsync(cancellationToken) ? AssetRows.ReadVariant(reader, SqliteDialect.Instance) : null;
        }
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT COUNT(*) FROM schema_version");
        await command.ExecuteScalarAsync(cancellationToken);
        return 0;
    });

    private const string VariantColumns = AssetRows.VariantColumns;

    private static async Task<bool> InsertVariantAsync(SqliteConnection connection, SqliteTransaction transaction, long assetId,
        VariantRecord v, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            INSERT INTO variants (asset_id, is_original, transformation, store_bucket, store_key, width, height, format, page_count,
                                  loop, color_space, bytes, blurhash, thumbhash, created_at)
            VALUES ($asset, $original, $t, $bucket, $key, $w, $h, $format, $pages, $loop, $cs, $bytes, $blurhash, $thumbhash, $created)
            ON CONFLICT DO NOTHING
            """, ("$asset", assetId), ("$original", v.IsOriginalVariant ? 1 : 0), ("$t", v.Transformation), ("$bucket", v.StoreBucket),
            ("$key", v.StoreKey), ("$w", v.Attributes.Width), ("$h", v.Attributes.Height), ("$format", v.Attributes.Format),
            ("$pages", v.Attributes.PageCount), ("$loop", v.Attributes.Loop), ("$cs", v.Attributes.ColorSpace), ("$bytes", v.Attributes.Bytes),
            ("$blurhash", v.Lqip?.Blurhash), ("$thumbhash", v.Lqip?.Thumbhash), ("$created", v.CreatedAt.ToUnixTimeMilliseconds()));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static Task<List<AssetRecord>> QueryAssetsAsync(SqliteConnection connection, SqliteTransaction? transaction, string where,
        string orderAndLimit, CancellationToken cancellationToken, params (string, object?)[] parameters) =>
        AssetRows.QueryAsync(connection, transaction, SqliteDialect.Instance, where, orderAndLimit, cancellationToken, parameters);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // PRAGMAs take no parameters; the only value spliced in is our own integer.
        await Execute(connection, null,
            $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA synchronous = NORMAL;", cancellationToken);
        return connection;
    }

    // Not deferred: Microsoft.Data.Sqlite then issues BEGIN IMMEDIATE, taking the write lock at once so two writers queue
    // (busy_timeout) instead of failing on lock upgrade.
    private static Task<SqliteTransaction> BeginImmediateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(connection.BeginTransaction(deferred: false));
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static async Task Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string, object?)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DateTimeOffset FromMillis(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    private static DateTimeOffset Truncate(DateTimeOffset t) => FromMillis(t.ToUnixTimeMilliseconds());

    private static async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        // Primary result codes: BUSY, LOCKED, READONLY (permissions, read-only disk), IOERR, FULL, CANTOPEN, NOTADB.
        // Constraint or SQL errors stay as they are: they are bugs, not outages.
        catch (SqliteException e) when ((e.SqliteErrorCode & 0xFF) is 5 or 6 or 8 or 10 or 13 or 14 or 26)
        {
            throw new StorageUnavailableException("the asset database cannot be used right now", e);
        }
    }

    private static Task Guard(Func<Task<int>> action) => Guard<int>(action);
}
