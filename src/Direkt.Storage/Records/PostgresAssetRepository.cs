using System.Text.Json;
using Direkt.Storage.Records.Postgres;
using Direkt.Storage.Records.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Direkt.Storage.Records;

/// <summary>
/// Asset records in PostgreSQL, shared by several Direkt instances. Entry ids come from a per-path counter row updated with
/// INSERT … ON CONFLICT DO UPDATE, whose row lock orders concurrent uploads to one path across instances; variants have a
/// unique key on (asset, transformation), so the loser of a race between instances reads the winner's record.
/// Times are truncated to the millisecond, as in the other repositories. Call <see cref="MigrateAsync"/> once at start.
/// </summary>
public sealed partial class PostgresAssetRepository : IAssetRepository, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    /// <param name="connectionString">An Npgsql connection string (pool size, timeouts and TLS included).</param>
    public PostgresAssetRepository(string connectionString) => _dataSource = NpgsqlDataSource.Create(connectionString);

    /// <summary>Builds the connection string from direkt.conf's data-store.postgresql block.</summary>
    public static string ConnectionString(string host, int port, string database, string user, string password, string sslMode, int poolSize) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = host, Port = port, Database = database, Username = user, Password = password,
            SslMode = Enum.Parse<SslMode>(sslMode.Replace("-", ""), ignoreCase: true),
            MaxPoolSize = poolSize, Timeout = 10, CommandTimeout = 30, ApplicationName = "direkt",
        }.ToString();

    /// <summary>
    /// Applies missing migrations. Instances starting together queue on an advisory lock, so each migration runs exactly once.
    /// </summary>
    public Task MigrateAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, null, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", PostgresMigrations.LockKey));
        try
        {
            await Execute(connection, null,
                "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                cancellationToken);
            foreach (var (version, sql) in PostgresMigrations.All)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using var check = Command(connection, transaction, "SELECT count(*) FROM schema_version WHERE version = @v", ("v", version));
                if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0) continue;
                await Execute(connection, transaction, sql, cancellationToken);
                await Execute(connection, transaction, "INSERT INTO schema_version (version) VALUES (@v)", cancellationToken, ("v", version));
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await Execute(connection, null, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", PostgresMigrations.LockKey));
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
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using var counter = Command(connection, transaction, """
            INSERT INTO path_counters AS c (path, next_entry_id) VALUES (@path, 1)
            ON CONFLICT (path) DO UPDATE SET next_entry_id = c.next_entry_id + 1
            RETURNING next_entry_id - 1
            """, ("path", asset.Path));
        var entryId = (long)(await counter.ExecuteScalarAsync(cancellationToken))!;

        var created = Truncate(asset.CreatedAt);
        await using var insert = Command(connection, transaction, """
            INSERT INTO assets (path, entry_id, alt, labels, tags, source, source_url, created_at, modified_at)
            VALUES (@path, @entry, @alt, @labels, @tags, @source, @url, @created, @created)
            RETURNING id
            """, ("path", asset.Path), ("entry", entryId), ("alt", asset.Alt), ("source", asset.Source), ("url", asset.SourceUrl),
            ("created", created));
        insert.Parameters.Add(new NpgsqlParameter("labels", NpgsqlDbType.Json) { Value = JsonSerializer.Serialize(asset.Labels) });
        insert.Parameters.Add(new NpgsqlParameter("tags", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(asset.Tags) });
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;

        var original = asset.OriginalVariant with { CreatedAt = Truncate(asset.OriginalVariant.CreatedAt) };
        await InsertVariantAsync(connection, transaction, id, original, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        return new AssetRecord
        {
            Path = asset.Path, EntryId = entryId, Alt = asset.Alt, Labels = asset.Labels, Tags = asset.Tags, Source = asset.Source,
            SourceUrl = asset.SourceUrl, CreatedAt = created, ModifiedAt = created, Variants = [original],
        };
    }

    public Task<AssetRecord?> GetAsync(string path, long entryId, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var found = await QueryAssetsAsync(connection, null, "a.path = @path AND a.entry_id = @entry", "", cancellationToken,
            ("path", path), ("entry", entryId));
        return found.FirstOrDefault();
    });

    public Task<IReadOnlyList<AssetRecord>> FindAsync(AssetQuery query, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        var (where, orderAndLimit, parameters) = Selection(new AssetDeletion.Matching(query));
        return (IReadOnlyList<AssetRecord>)await QueryAssetsAsync(connection, null, where, orderAndLimit, cancellationToken, parameters);
    });

    private static (string Where, string OrderAndLimit, (string, object?)[] Parameters) Selection(AssetDeletion selection) =>
        AssetSelectionSql.Build(selection, PostgresDialect.Instance);

    private sealed class PostgresDialect : SqlDialect
    {
        public static readonly PostgresDialect Instance = new();
        public override string Parameter(string name) => "@" + name;
        public override string ParameterName(string name) => name;

        // LIKE with a constant prefix uses the text_pattern_ops index; the path's own wildcards are escaped.
        public override (string, IEnumerable<(string, object?)>) Below(string prefix) =>
            ("a.path LIKE @below ESCAPE '!'", [("below", prefix.Replace("!", "!!").Replace("%", "!%").Replace("_", "!_") + "%")]);

        // Containment on the jsonb form uses the GIN index.
        public override (string, IEnumerable<(string, object?)>) Labelled(IReadOnlyDictionary<string, string> labels) =>
            ("a.labels::jsonb @> @labels::jsonb", [("labels", JsonSerializer.Serialize(labels))]);

        public override string Text(string jsonColumn) => jsonColumn + "::text";
        public override DateTimeOffset ReadTime(System.Data.Common.DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);
        public override bool ReadFlag(System.Data.Common.DbDataReader reader, int ordinal) => reader.GetBoolean(ordinal);
    }

    public Task<AssetRecord?> UpdateAsync(string path, long entryId, AssetInformation information, DateTimeOffset now,
        CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using var find = Command(connection, transaction,
                "SELECT id, modified_at FROM assets WHERE path = @path AND entry_id = @entry FOR UPDATE", ("path", path), ("entry", entryId));
            long id;
            DateTimeOffset previous;
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken)) return null;
                (id, previous) = (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1));
            }
            await using var update = Command(connection, transaction,
                "UPDATE assets SET alt = @alt, labels = @labels, tags = @tags, modified_at = @m WHERE id = @id",
                ("alt", information.Alt), ("m", AssetChangeRules.NextModified(previous, now)), ("id", id));
            update.Parameters.Add(new NpgsqlParameter("labels", NpgsqlDbType.Json) { Value = JsonSerializer.Serialize(information.Labels) });
            update.Parameters.Add(new NpgsqlParameter("tags", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(information.Tags) });
            await update.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var found = await QueryAssetsAsync(connection, null, "a.path = @path AND a.entry_id = @entry", "", cancellationToken,
            ("path", path), ("entry", entryId));
        return found.FirstOrDefault();
    });

    public Task<IReadOnlyList<AssetRecord>> DeleteAsync(AssetDeletion deletion, DateTimeOffset now, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var (where, orderAndLimit, parameters) = Selection(deletion);
            var doomed = await QueryAssetsAsync(connection, transaction, where, orderAndLimit, cancellationToken, parameters);
            foreach (var asset in doomed)
            {
                foreach (var variant in asset.Variants)
                    await Execute(connection, transaction,
                        "INSERT INTO deletion_outbox (bucket, key, next_attempt_at, created_at) VALUES (@b, @k, @t, @t)", cancellationToken,
                        ("b", variant.StoreBucket), ("k", variant.StoreKey), ("t", Truncate(now)));
                await Execute(connection, transaction, "DELETE FROM assets WHERE path = @path AND entry_id = @entry", cancellationToken,
                    ("path", asset.Path), ("entry", asset.EntryId));
            }
            await transaction.CommitAsync(cancellationToken);
            return (IReadOnlyList<AssetRecord>)doomed;
        });

    private ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => _dataSource.OpenConnectionAsync(cancellationToken);

    public Task<VariantRecord?> AddVariantAsync(string path, long entryId, VariantRecord variant, CancellationToken cancellationToken)
    {
        VariantRules.RequireGenerated(variant);
        return Guard(() => InsertVariantOrGetExistingAsync(path, entryId, variant with { CreatedAt = Truncate(variant.CreatedAt) },
            cancellationToken));
    }

    private async Task<VariantRecord?> InsertVariantOrGetExistingAsync(string path, long entryId, VariantRecord variant,
        CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // FOR KEY SHARE keeps the asset from being deleted until this transaction ends.
        await using var find = Command(connection, transaction,
            "SELECT id FROM assets WHERE path = @path AND entry_id = @entry FOR KEY SHARE", ("path", path), ("entry", entryId));
        if (await find.ExecuteScalarAsync(cancellationToken) is not long assetId) return null;

        VariantRecord? result = variant;
        if (!await InsertVariantAsync(connection, transaction, assetId, variant, cancellationToken))
        {
            // The conflicting insert has committed (ON CONFLICT waited for it), so this statement's snapshot sees it.
            await using var existing = Command(connection, transaction,
                $"SELECT {VariantColumns} FROM variants v WHERE v.asset_id = @id AND v.transformation = @t",
                ("id", assetId), ("t", variant.Transformation));
            await using var reader = await existing.ExecuteReaderAsync(cancellationToken);
            result = await reader.ReadAsync(cancellationToken) ? AssetRows.ReadVariant(reader, PostgresDialect.Instance) : null;
        }
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT count(*) FROM schema_version");
        await command.ExecuteScalarAsync(cancellationToken);
        return 0;
    });

    private const string VariantColumns = AssetRows.VariantColumns;

    private static async Task<bool> InsertVariantAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long assetId,
        VariantRecord v, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            INSERT INTO variants (asset_id, is_original, transformation, store_bucket, store_key, width, height, format, page_count,
                                  loop, color_space, bytes, blurhash, thumbhash, created_at)
            VALUES (@asset, @original, @t, @bucket, @key, @w, @h, @format, @pages, @loop, @cs, @bytes, @blurhash, @thumbhash, @created)
            ON CONFLICT DO NOTHING
            """, ("asset", assetId), ("original", v.IsOriginalVariant), ("t", v.Transformation), ("bucket", v.StoreBucket),
            ("key", v.StoreKey), ("w", v.Attributes.Width), ("h", v.Attributes.Height), ("format", v.Attributes.Format),
            ("pages", v.Attributes.PageCount), ("loop", v.Attributes.Loop), ("cs", v.Attributes.ColorSpace), ("bytes", v.Attributes.Bytes),
            ("blurhash", v.Lqip?.Blurhash), ("thumbhash", v.Lqip?.Thumbhash), ("created", v.CreatedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static Task<List<AssetRecord>> QueryAssetsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string where,
        string orderAndLimit, CancellationToken cancellationToken, params (string, object?)[] parameters) =>
        AssetRows.QueryAsync(connection, transaction, PostgresDialect.Instance, where, orderAndLimit, cancellationToken, parameters);

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string, object?)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // timestamptz holds microseconds; dropping the rest keeps every repository at the same millisecond precision, in UTC.
    private static DateTimeOffset Truncate(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

    private static async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (IsOutage(e))
        {
            throw new StorageUnavailableException($"the asset database cannot be used right now: {e.Message}", e);
        }
    }

    private static Task Guard(Func<Task<int>> action) => Guard<int>(action);

    // Connection failures, resource exhaustion, shutdowns, lock timeouts, a missing database or refused login are outages the
    // operator fixes (answered 503); constraint and SQL errors are bugs and stay as they are.
    private static bool IsOutage(Exception e) => e switch
    {
        PostgresException p => p.SqlState[..2] is "08" or "53" or "57" or "58" or "28" or "3D" || p.SqlState is "55P03" or "55006",
        NpgsqlException => true,
        TimeoutException => true,
        _ => false,
    };

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
