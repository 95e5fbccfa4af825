namespace Direkt.Storage.Records.Sql;

/// <summary>The deletion outbox: entries written with record deletions, taken under a lease, completed or retried.</summary>
public sealed partial class SqlAssetRepository
{
    public Task<IReadOnlyList<OutboxEntry>> TakeDueDeletionsAsync(int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await _sql.OpenAsync(cancellationToken);
            await using var transaction = await _sql.BeginWriteAsync(connection, cancellationToken);
            await using var take = _statements.Command(connection, transaction, $"""
                UPDATE deletion_outbox SET next_attempt_at = @lease
                WHERE id IN (SELECT id FROM deletion_outbox WHERE next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT @max{_sql.Words.SkipLocked})
                RETURNING id, bucket, key, attempts
                """, ("@lease", _sql.Time(now + lease)), ("@now", _sql.Time(now)), ("@max", max));
            var taken = await _statements.ListAsync(take,
                r => new OutboxEntry(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3)), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (IReadOnlyList<OutboxEntry>)taken.OrderBy(e => e.Id).ToList();
        });

    public Task CompleteDeletionAsync(long id, CancellationToken cancellationToken) =>
        WriteAsync("DELETE FROM deletion_outbox WHERE id = @id", cancellationToken, ("@id", id));

    public Task RetryDeletionAsync(long id, DateTimeOffset notBefore, string error, CancellationToken cancellationToken) =>
        WriteAsync("UPDATE deletion_outbox SET attempts = attempts + 1, next_attempt_at = @t, last_error = @e WHERE id = @id",
            cancellationToken, ("@t", _sql.Time(notBefore)), ("@e", error), ("@id", id));

    public Task<long> CountDeletionsAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _sql.OpenAsync(cancellationToken);
        await using var command = _statements.Command(connection, null, "SELECT count(*) FROM deletion_outbox");
        return Convert.ToInt64(await _statements.ScalarAsync(command, cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    });

    // Single statements also run in a write transaction: SQLite then takes the write lock up front (no lock upgrade failures).
    private Task<int> WriteAsync(string text, CancellationToken cancellationToken, params (string, object?)[] parameters) => Guard(async () =>
    {
        await using var connection = await _sql.OpenAsync(cancellationToken);
        await using var transaction = await _sql.BeginWriteAsync(connection, cancellationToken);
        var changed = await _statements.ExecuteAsync(connection, transaction, text, cancellationToken, parameters);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    });
}
