using System.Data.Common;
using System.Text.Json;

namespace Direkt.Storage.Records.Sql;

/// <summary>
/// Asset records in a SQL database: one implementation of every statement and transaction, over a <see cref="SqlDialect"/>
/// (SQLite, the embedded default; PostgreSQL, shared by several instances). Variants have a unique key on (asset,
/// transformation), so the loser of a race between writers reads the winner's record. Times are truncated to the
/// millisecond and come back in UTC. <see cref="MigrateAsync"/> runs once at start (<see cref="SqlSchemaMigration"/>).
/// </summary>
public sealed partial class SqlAssetRepository : IRecordStore, IAsyncDisposable
{
    private readonly SqlDialect _sql;
    private readonly SqlStatements _statements;

    private SqlAssetRepository(SqlDialect dialect, ISqlStatementObserver? observer)
    {
        _sql = dialect;
        _statements = new SqlStatements(dialect, observer);
    }

    /// <param name="databasePath">The database file, e.g. "data/direkt.db"; its folder is created.</param>
    /// <param name="lockTimeout">How long a statement waits for another writer's lock before the store counts as unavailable.</param>
    public static SqlAssetRepository Sqlite(string databasePath, TimeSpan? lockTimeout = null, ISqlStatementObserver? observer = null) =>
        new(new SqliteDialect(databasePath, lockTimeout), observer);

    /// <param name="connectionString">An Npgsql connection string (pool size, timeouts and TLS included).</param>
    public static SqlAssetRepository Postgres(string connectionString, ISqlStatementObserver? observer = null) =>
        new(new PostgresDialect(connectionString), observer);

    public static string PostgresConnectionString(PostgresSettings settings) => PostgresDialect.ConnectionString(settings);

    public Task<AssetRecord> CreateAsync(NewAsset asset, CancellationToken cancellationToken)
    {
        VariantRules.RequireOriginal(asset);
        return Guard(async () =>
        {
            await using var connection = await _sql.OpenAsync(cancellationToken);
            await using var transaction = await _sql.BeginWriteAsync(connection, cancellationToken);
            await using var counter = _statements.Command(connection, transaction, """
                INSERT INTO path_counters (path, next_entry_id) VALUES (@path, 1)
                ON CONFLICT (path) DO UPDATE SET next_entry_id = path_counters.next_entry_id + 1
                RETURNING next_entry_id - 1
                """, ("@path", asset.Path));
            var entryId = Convert.ToInt64(await _statements.ScalarAsync(counter, cancellationToken));

            var created = Truncate(asset.CreatedAt);
            await using var insert = _statements.Command(connection, transaction, """
                INSERT INTO assets (path, entry_id, alt, labels, tags, source, source_url, created_at, modified_at)
                VALUES (@path, @entry, @alt, @labels, @tags, @source, @url, @created, @created)
                RETURNING id
                """, ("@path", asset.Path), ("@entry", entryId), ("@alt", asset.Alt), ("@source", asset.Source), ("@url", asset.SourceUrl),
                ("@created", _sql.Time(created)));
            AddInformation(insert, asset.Labels, asset.Tags);
            var id = Convert.ToInt64(await _statements.ScalarAsync(insert, cancellationToken));
            await InsertLabelRowsAsync(connection, transaction, id, asset.Labels, cancellationToken);

            var original = asset.OriginalVariant with { CreatedAt = Truncate(asset.OriginalVariant.CreatedAt) };
            await InsertVariantAsync(connection, transaction, id, original, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new AssetRecord
            {
                Path = asset.Path, EntryId = entryId, Alt = asset.Alt, Labels = asset.Labels, Tags = asset.Tags, Source = asset.Source,
                SourceUrl = asset.SourceUrl, CreatedAt = created, ModifiedAt = created, Variants = [original],
            };
        });
    }

    public Task<AssetRecord?> GetAsync(string path, long entryId, VariantScope variants, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await _sql.OpenAsync(cancellationToken);
            return (await QueryAssetsAsync(connection, null, variants, new AssetDeletion.Entry(path, entryId), cancellationToken)).FirstOrDefault();
        });

    public Task<IReadOnlyList<AssetRecord>> FindAsync(AssetQuery query, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _sql.OpenAsync(cancellationToken);
        return (IReadOnlyList<AssetRecord>)await QueryAssetsAsync(connection, null, query.Variants, new AssetDeletion.Matching(query),
            cancellationToken);
    });

    public Task<VariantRecord?> FindVariantAsync(string path, long entryId, string transformation, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await _sql.OpenAsync(cancellationToken);
            // Both lookups are index seeks: assets (path, entry_id), then variants (asset_id, transformation).
            await using var command = _statements.Command(connection, null, $"""
                SELECT {AssetRows.VariantColumns} FROM assets a JOIN variants v ON v.asset_id = a.id
                WHERE a.path = @path AND a.entry_id = @entry AND v.transformation = @t
                """, ("@path", path), ("@entry", entryId), ("@t", transformation));
            return (await _statements.ListAsync(command, r => AssetRows.ReadVariant(r, _sql), cancellationToken)).FirstOrDefault();
        });

    public Task<int> CountVariantsAsync(string path, long entryId, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await _sql.OpenAsync(cancellationToken);
            // Index seeks again: assets (path, entry_id), then a range of variants (asset_id, transformation).
            await using var command = _statements.Command(connection, null, $"""
                SELECT count(*) FROM assets a JOIN variants v ON v.asset_id = a.id
                WHERE a.path = @path AND a.entry_id = @entry AND v.is_original = {_sql.Words.False}
                """, ("@path", path), ("@entry", entryId));
            return Convert.ToInt32(await _statements.ScalarAsync(command, cancellationToken));
        });

    public Task<string> DeploymentIdAsync(CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await _sql.OpenAsync(cancellationToken);
            await using var command = _statements.Command(connection, null, "SELECT deployment_id FROM deployment WHERE id = 1");
            return (string)(await _statements.ScalarAsync(command, cancellationToken))!;
        });

    public Task<AssetRecord?> UpdateAsync(string path, long entryId, AssetInformation information, DateTimeOffset now,
        CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _sql.OpenAsync(cancellationToken);
        await using (var transaction = await _sql.BeginWriteAsync(connection, cancellationToken))
        {
            await using var find = _statements.Command(connection, transaction,
                $"SELECT id, modified_at FROM assets WHERE path = @path AND entry_id = @entry{_sql.Words.ForUpdate}", ("@path", path), ("@entry", entryId));
            var found = await _statements.ListAsync(find, r => (Id: r.GetInt64(0), Modified: _sql.ReadTime(r, 1)), cancellationToken);
            if (found is not [var (id, previous)]) return null;
            await using var update = _statements.Command(connection, transaction,
                "UPDATE assets SET alt = @alt, labels = @labels, tags = @tags, modified_at = @m WHERE id = @id",
                ("@alt", information.Alt), ("@m", _sql.Time(AssetChangeRules.NextModified(previous, now))), ("@id", id));
            AddInformation(update, information.Labels, information.Tags);
            await _statements.ExecuteAsync(update, cancellationToken);
            if (_sql.KeepsLabelRows)
                await _statements.ExecuteAsync(connection, transaction, "DELETE FROM asset_labels WHERE asset_id = @id", cancellationToken, ("@id", id));
            await InsertLabelRowsAsync(connection, transaction, id, information.Labels, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return (await QueryAssetsAsync(connection, null, VariantScope.All, new AssetDeletion.Entry(path, entryId), cancellationToken)).FirstOrDefault();
    });

    public Task<IReadOnlyList<AssetRecord>> DeleteAsync(AssetDeletion deletion, DateTimeOffset objectsDueAt, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await _sql.OpenAsync(cancellationToken);
            await using var transaction = await _sql.BeginWriteAsync(connection, cancellationToken);
            var doomed = await QueryAssetsAsync(connection, transaction, VariantScope.All, deletion, cancellationToken);
            foreach (var asset in doomed)
            {
                foreach (var variant in asset.Variants)
                    await QueueDeletionAsync(connection, transaction, variant.StoreBucket, variant.StoreKey, objectsDueAt, cancellationToken);
                await _statements.ExecuteAsync(connection, transaction, "DELETE FROM assets WHERE path = @path AND entry_id = @entry",
                    cancellationToken, ("@path", asset.Path), ("@entry", asset.EntryId));
            }
            await transaction.CommitAsync(cancellationToken);
            return (IReadOnlyList<AssetRecord>)doomed;
        });

    public Task<VariantRecord?> AddVariantAsync(string path, long entryId, VariantRecord variant, CancellationToken cancellationToken)
    {
        VariantRules.RequireGenerated(variant);
        var truncated = variant with { CreatedAt = Truncate(variant.CreatedAt) };
        return Guard(async () =>
        {
            await using var connection = await _sql.OpenAsync(cancellationToken);
            await using var transaction = await _sql.BeginWriteAsync(connection, cancellationToken);
            // FOR KEY SHARE (PostgreSQL) keeps the asset from being deleted until this transaction ends.
            await using var find = _statements.Command(connection, transaction,
                $"SELECT id FROM assets WHERE path = @path AND entry_id = @entry{_sql.Words.ForKeyShare}", ("@path", path), ("@entry", entryId));
            if (await _statements.ScalarAsync(find, cancellationToken) is not { } found) return null;
            var assetId = Convert.ToInt64(found);

            VariantRecord? result = truncated;
            if (!await InsertVariantAsync(connection, transaction, assetId, truncated, cancellationToken))
            {
                // The conflicting insert has committed (ON CONFLICT waited for it), so this statement sees it.
                await using var existing = _statements.Command(connection, transaction,
                    $"SELECT {AssetRows.VariantColumns} FROM variants v WHERE v.asset_id = @id AND v.transformation = @t",
                    ("@id", assetId), ("@t", variant.Transformation));
                result = (await _statements.ListAsync(existing, r => AssetRows.ReadVariant(r, _sql), cancellationToken)).FirstOrDefault();
            }
            await transaction.CommitAsync(cancellationToken);
            return result;
        });
    }

    private async Task<bool> InsertVariantAsync(DbConnection connection, DbTransaction transaction, long assetId, VariantRecord v,
        CancellationToken cancellationToken) =>
        await _statements.ExecuteAsync(connection, transaction, """
            INSERT INTO variants (asset_id, is_original, transformation, store_bucket, store_key, width, height, format, page_count,
                                  loop, color_space, bytes, blurhash, thumbhash, created_at)
            VALUES (@asset, @original, @t, @bucket, @key, @w, @h, @format, @pages, @loop, @cs, @bytes, @blurhash, @thumbhash, @created)
            ON CONFLICT DO NOTHING
            """, cancellationToken, ("@asset", assetId), ("@original", _sql.Flag(v.IsOriginalVariant)), ("@t", v.Transformation),
            ("@bucket", v.StoreBucket), ("@key", v.StoreKey), ("@w", v.Attributes.Width), ("@h", v.Attributes.Height),
            ("@format", v.Attributes.Format), ("@pages", v.Attributes.PageCount), ("@loop", v.Attributes.Loop), ("@cs", v.Attributes.ColorSpace),
            ("@bytes", v.Attributes.Bytes), ("@blurhash", v.Lqip?.Blurhash), ("@thumbhash", v.Lqip?.Thumbhash), ("@created", _sql.Time(v.CreatedAt))) == 1;

    private void AddInformation(DbCommand command, IReadOnlyDictionary<string, string> labels, IReadOnlyList<string> tags)
    {
        command.Parameters.Add(_sql.Json("@labels", JsonSerializer.Serialize(labels), binary: false));
        command.Parameters.Add(_sql.Json("@tags", JsonSerializer.Serialize(tags), binary: true));
    }

    private async Task InsertLabelRowsAsync(DbConnection connection, DbTransaction transaction, long assetId,
        IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        if (!_sql.KeepsLabelRows) return;
        foreach (var (key, value) in labels)
            await _statements.ExecuteAsync(connection, transaction, "INSERT INTO asset_labels (asset_id, key, value) VALUES (@id, @k, @v)",
                cancellationToken, ("@id", assetId), ("@k", key), ("@v", value));
    }

    private Task<int> QueueDeletionAsync(DbConnection connection, DbTransaction transaction, string bucket, string key, DateTimeOffset due,
        CancellationToken cancellationToken) =>
        _statements.ExecuteAsync(connection, transaction,
            "INSERT INTO deletion_outbox (bucket, key, next_attempt_at, created_at) VALUES (@b, @k, @t, @t)", cancellationToken,
            ("@b", bucket), ("@k", key), ("@t", _sql.Time(due)));

    private Task<List<AssetRecord>> QueryAssetsAsync(DbConnection connection, DbTransaction? transaction, VariantScope scope,
        AssetDeletion selection, CancellationToken cancellationToken)
    {
        var (where, orderAndLimit, parameters) = AssetSelectionSql.Build(selection, _sql);
        return AssetRows.QueryAsync(_statements, connection, transaction, scope, where, orderAndLimit, cancellationToken, parameters);
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

    private async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (_sql.Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    public ValueTask DisposeAsync() => _sql is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
}
