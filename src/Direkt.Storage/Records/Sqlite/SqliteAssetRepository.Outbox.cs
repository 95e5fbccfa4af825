using Microsoft.Data.Sqlite;

namespace Direkt.Storage.Records;

/// <summary>The deletion outbox: entries written with record deletions, taken under a lease, completed or retried.</summary>
public sealed partial class SqliteAssetRepository
{
    public Task<IReadOnlyList<OutboxEntry>> TakeDueDeletionsAsync(int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await BeginImmediateAsync(connection, cancellationToken);
            var taken = new List<OutboxEntry>();
            await using (var select = Command(connection, transaction,
                "SELECT id, bucket, key, attempts FROM deletion_outbox WHERE next_attempt_at <= $now ORDER BY next_attempt_at, id LIMIT $max",
                ("$now", now.ToUnixTimeMilliseconds()), ("$max", max)))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken))
                    taken.Add(new OutboxEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3)));
            foreach (var entry in taken)
                await Execute(connection, transaction, "UPDATE deletion_outbox SET next_attempt_at = $t WHERE id = $id", cancellationToken,
                    ("$t", (now + lease).ToUnixTimeMilliseconds()), ("$id", entry.Id));
            await transaction.CommitAsync(cancellationToken);
            return (IReadOnlyList<OutboxEntry>)taken;
        });

    public Task CompleteDeletionAsync(long id, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await Execute(connection, null, "DELETE FROM deletion_outbox WHERE id = $id", cancellationToken, ("$id", id));
        return 0;
    });

    public Task RetryDeletionAsync(long id, DateTimeOffset notBefore, string error, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await Execute(connection, null,
            "UPDATE deletion_outbox SET attempts = attempts + 1, next_attempt_at = $t, last_error = $e WHERE id = $id", cancellationToken,
            ("$t", notBefore.ToUnixTimeMilliseconds()), ("$e", error), ("$id", id));
        return 0;
    });
}
