using Npgsql;

namespace Direkt.Storage.Records;

/// <summary>
/// Variant use and expiry: noting when a variant is served, finding old ones, removing them into the outbox; and which stored
/// objects records point at (for the orphan sweeper).
/// </summary>
public sealed partial class PostgresAssetRepository
{
    public Task<IReadOnlySet<string>> FindReferencedKeysAsync(string bucket, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            var referenced = new HashSet<string>(StringComparer.Ordinal);
            if (keys.Count == 0) return (IReadOnlySet<string>)referenced;
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = Command(connection, null,
                "SELECT store_key FROM variants WHERE store_bucket = @bucket AND store_key = ANY(@keys)",
                ("bucket", bucket), ("keys", keys.ToArray()));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) referenced.Add(reader.GetString(0));
            return (IReadOnlySet<string>)referenced;
        });

    public Task TouchVariantAsync(string path, long entryId, string transformation, DateTimeOffset now, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await Execute(connection, null, """
                UPDATE variants SET accessed_at = @now
                WHERE transformation = @t AND asset_id = (SELECT id FROM assets WHERE path = @path AND entry_id = @entry)
                """, cancellationToken, ("now", Truncate(now)), ("t", transformation), ("path", path), ("entry", entryId));
            return 0;
        });

    public Task<IReadOnlyList<VariantUse>> FindVariantsOlderThanAsync(DateTimeOffset createdBefore, DateTimeOffset usedBefore, int max,
        CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            SELECT a.path, a.entry_id, v.transformation, v.created_at, v.accessed_at FROM variants v JOIN assets a ON a.id = v.asset_id
            WHERE NOT v.is_original AND (v.created_at < @created OR coalesce(v.accessed_at, v.created_at) < @used)
            ORDER BY coalesce(v.accessed_at, v.created_at) LIMIT @max
            """, ("created", Truncate(createdBefore)), ("used", Truncate(usedBefore)), ("max", max));
        var found = new List<VariantUse>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            found.Add(new VariantUse(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        return (IReadOnlyList<VariantUse>)found;
    });

    public Task<int> DeleteVariantsAsync(IReadOnlyList<VariantUse> variants, DateTimeOffset now, CancellationToken cancellationToken) =>
        Guard<int>(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var removed = 0;
            foreach (var use in variants)
            {
                await using var delete = Command(connection, transaction, """
                    WITH gone AS (
                        DELETE FROM variants
                        WHERE NOT is_original AND transformation = @t
                          AND asset_id = (SELECT id FROM assets WHERE path = @path AND entry_id = @entry)
                        RETURNING store_bucket, store_key)
                    INSERT INTO deletion_outbox (bucket, key, next_attempt_at, created_at) SELECT store_bucket, store_key, @now, @now FROM gone
                    """, ("t", use.Transformation), ("path", use.Path), ("entry", use.EntryId), ("now", Truncate(now)));
                removed += await delete.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return removed;
        });
}
