using Microsoft.Data.Sqlite;

namespace Direkt.Storage.Records;

/// <summary>
/// Variant use and expiry: noting when a variant is served, finding old ones, removing them into the outbox; and which stored
/// objects records point at (for the orphan sweeper).
/// </summary>
public sealed partial class SqliteAssetRepository
{
    public Task<IReadOnlySet<string>> FindReferencedKeysAsync(string bucket, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            var referenced = new HashSet<string>(StringComparer.Ordinal);
            if (keys.Count == 0) return (IReadOnlySet<string>)referenced;
            await using var connection = await OpenAsync(cancellationToken);
            // json_each turns one JSON array parameter into rows, so any number of keys is one statement.
            await using var command = Command(connection, null,
                "SELECT v.store_key FROM variants v WHERE v.store_bucket = $bucket AND v.store_key IN (SELECT value FROM json_each($keys))",
                ("$bucket", bucket), ("$keys", System.Text.Json.JsonSerializer.Serialize(keys)));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) referenced.Add(reader.GetString(0));
            return (IReadOnlySet<string>)referenced;
        });

    public Task TouchVariantAsync(string path, long entryId, string transformation, DateTimeOffset now, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await Execute(connection, null, """
                UPDATE variants SET accessed_at = $now
                WHERE transformation = $t AND asset_id = (SELECT id FROM assets WHERE path = $path AND entry_id = $entry)
                """, cancellationToken, ("$now", now.ToUnixTimeMilliseconds()), ("$t", transformation), ("$path", path), ("$entry", entryId));
            return 0;
        });

    public Task<IReadOnlyList<VariantUse>> FindVariantsOlderThanAsync(DateTimeOffset createdBefore, DateTimeOffset usedBefore, int max,
        CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            SELECT a.path, a.entry_id, v.transformation, v.created_at, v.accessed_at FROM variants v JOIN assets a ON a.id = v.asset_id
            WHERE v.is_original = 0 AND (v.created_at < $created OR coalesce(v.accessed_at, v.created_at) < $used)
            ORDER BY coalesce(v.accessed_at, v.created_at) LIMIT $max
            """, ("$created", createdBefore.ToUnixTimeMilliseconds()), ("$used", usedBefore.ToUnixTimeMilliseconds()), ("$max", max));
        var found = new List<VariantUse>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            found.Add(new VariantUse(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), FromMillis(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : FromMillis(reader.GetInt64(4))));
        return (IReadOnlyList<VariantUse>)found;
    });

    public Task<int> DeleteVariantsAsync(IReadOnlyList<VariantUse> variants, DateTimeOffset now, CancellationToken cancellationToken) =>
        Guard<int>(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await BeginImmediateAsync(connection, cancellationToken);
            var removed = 0;
            foreach (var use in variants)
            {
                await using var delete = Command(connection, transaction, """
                    DELETE FROM variants
                    WHERE is_original = 0 AND transformation = $t AND asset_id = (SELECT id FROM assets WHERE path = $path AND entry_id = $entry)
                    RETURNING store_bucket, store_key
                    """, ("$t", use.Transformation), ("$path", use.Path), ("$entry", use.EntryId));
                string? bucket = null, key = null;
                await using (var reader = await delete.ExecuteReaderAsync(cancellationToken))
                    if (await reader.ReadAsync(cancellationToken)) (bucket, key) = (reader.GetString(0), reader.GetString(1));
                if (bucket is null) continue;
                await Execute(connection, transaction,
                    "INSERT INTO deletion_outbox (bucket, key, next_attempt_at, created_at) VALUES ($b, $k, $t, $t)", cancellationToken,
                    ("$b", bucket), ("$k", key), ("$t", now.ToUnixTimeMilliseconds()));
                removed++;
            }
            await transaction.CommitAsync(cancellationToken);
            return removed;
        });
}
