namespace Direkt.Storage.Records.Sql;

/// <summary>
/// Variant use and expiry: recording uses in batches, paging through old variants, removing them into the outbox; which stored
/// objects records point at (the orphan sweeper); and the health check.
/// </summary>
public sealed partial class SqlAssetRepository
{
    public Task RecordUsesAsync(IReadOnlyCollection<VariantTouch> uses, CancellationToken cancellationToken)
    {
        if (uses.Count == 0) return Task.CompletedTask;
        return Guard(async () =>
        {
            await using var connection = await _sql.OpenAsync(cancellationToken);
            await using var transaction = await _sql.BeginWriteAsync(connection, cancellationToken);
            foreach (var use in uses)
                await _statements.ExecuteAsync(connection, transaction, """
                    UPDATE variants SET accessed_at = @at
                    WHERE transformation = @t AND asset_id = (SELECT id FROM assets WHERE path = @path AND entry_id = @entry)
                      AND (accessed_at IS NULL OR accessed_at < @at)
                    """, cancellationToken, ("@at", _sql.Time(use.At)), ("@t", use.Transformation), ("@path", use.Path), ("@entry", use.EntryId));
            await transaction.CommitAsync(cancellationToken);
            return 0;
        });
    }

    public Task<IReadOnlyList<VariantUse>> FindVariantsOlderThanAsync(DateTimeOffset createdBefore, DateTimeOffset usedBefore, VariantUse? after,
        int max, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _sql.OpenAsync(cancellationToken);
        const string order = "coalesce(v.accessed_at, v.created_at), a.path, a.entry_id, v.transformation";
        var parameters = new List<(string, object?)>
        {
            ("@created", _sql.Time(createdBefore)), ("@used", _sql.Time(usedBefore)), ("@max", max),
        };
        var page = "";
        if (after is not null)
        {
            page = $" AND ({order}) > (@afterUsed, @afterPath, @afterEntry, @afterT)";
            parameters.AddRange([("@afterUsed", _sql.Time(after.LastUsed)), ("@afterPath", after.Path), ("@afterEntry", after.EntryId),
                ("@afterT", after.Transformation)]);
        }
        await using var command = _statements.Command(connection, null, $"""
            SELECT a.path, a.entry_id, v.transformation, v.created_at, v.accessed_at FROM variants v JOIN assets a ON a.id = v.asset_id
            WHERE v.is_original = {_sql.Words.False} AND (v.created_at < @created OR coalesce(v.accessed_at, v.created_at) < @used){page}
            ORDER BY {order} LIMIT @max
            """, [.. parameters]);
        return (IReadOnlyList<VariantUse>)await _statements.ListAsync(command, r => new VariantUse(r.GetString(0), r.GetInt64(1), r.GetString(2),
            _sql.ReadTime(r, 3), r.IsDBNull(4) ? null : _sql.ReadTime(r, 4)), cancellationToken);
    });

    public Task<int> DeleteVariantsAsync(IReadOnlyList<VariantUse> variants, DateTimeOffset objectsDueAt, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await _sql.OpenAsync(cancellationToken);
            await using var transaction = await _sql.BeginWriteAsync(connection, cancellationToken);
            var removed = 0;
            foreach (var use in variants)
            {
                await using var delete = _statements.Command(connection, transaction, $"""
                    DELETE FROM variants
                    WHERE is_original = {_sql.Words.False} AND transformation = @t
                      AND asset_id = (SELECT id FROM assets WHERE path = @path AND entry_id = @entry)
                    RETURNING store_bucket, store_key
                    """, ("@t", use.Transformation), ("@path", use.Path), ("@entry", use.EntryId));
                var gone = await _statements.ListAsync(delete, r => (Bucket: r.GetString(0), Key: r.GetString(1)), cancellationToken);
                foreach (var (bucket, key) in gone) await QueueDeletionAsync(connection, transaction, bucket, key, objectsDueAt, cancellationToken);
                removed += gone.Count;
            }
            await transaction.CommitAsync(cancellationToken);
            return removed;
        });

    public Task<IReadOnlySet<string>> FindReferencedKeysAsync(string bucket, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            if (keys.Count == 0) return (IReadOnlySet<string>)new HashSet<string>();
            await using var connection = await _sql.OpenAsync(cancellationToken);
            var (anyOf, parameter) = _sql.AnyOf("v.store_key", keys);
            await using var command = _statements.Command(connection, null,
                $"SELECT v.store_key FROM variants v WHERE v.store_bucket = @bucket AND {anyOf}", ("@bucket", bucket), parameter);
            return (IReadOnlySet<string>)(await _statements.ListAsync(command, r => r.GetString(0), cancellationToken)).ToHashSet(StringComparer.Ordinal);
        });

    public Task CheckHealthAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _sql.OpenAsync(cancellationToken);
        await using var command = _statements.Command(connection, null, "SELECT count(*) FROM schema_version");
        return await _statements.ScalarAsync(command, cancellationToken);
    });
}
