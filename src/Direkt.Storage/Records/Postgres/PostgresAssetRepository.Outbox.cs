using Npgsql;

namespace Direkt.Storage.Records;

/// <summary>The deletion outbox: entries written with record deletions, taken under a lease, completed or retried.</summary>
public sealed partial class PostgresAssetRepository
{
    public Task<IReadOnlyList<OutboxEntry>> TakeDueDeletionsAsync(int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            // SKIP LOCKED: instances working the outbox at once take disjoint entries.
            await using var command = Command(connection, null, """
                UPDATE deletion_outbox SET next_attempt_at = @lease
                WHERE id IN (SELECT id FROM deletion_outbox WHERE next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT @max
                             FOR UPDATE SKIP LOCKED)
                RETURNING id, bucket, key, attempts
                """, ("lease", Truncate(now + lease)), ("now", Truncate(now)), ("max", max));
            var taken = new List<OutboxEntry>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                taken.Add(new OutboxEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3)));
            return (IReadOnlyList<OutboxEntry>)taken;
        });

    public Task CompleteDeletionAsync(long id, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await Execute(connection, null, "DELETE FROM deletion_outbox WHERE id = @id", cancellationToken, ("id", id));
        return 0;
    });

    public Task RetryDeletionAsync(long id, DateTimeOffset notBefore, string error, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await Execute(connection, null,
            "UPDATE deletion_outbox SET attempts = attempts + 1, next_attempt_at = @t, last_error = @e WHERE id = @id", cancellationToken,
            ("t", Truncate(notBefore)), ("e", error), ("id", id));
        return 0;
    });
}
