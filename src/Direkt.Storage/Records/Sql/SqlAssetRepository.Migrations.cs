namespace Direkt.Storage.Records.Sql;

/// <summary>Applying the schema's migrations (<see cref="SqlSchema"/>).</summary>
public sealed partial class SqlAssetRepository
{
    /// <summary>
    /// Applies missing migrations. Instances starting together queue on the dialect's migration lock, and each migration checks
    /// its version inside its own write transaction, so each runs exactly once.
    /// </summary>
    public Task MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(int.MaxValue, cancellationToken);

    /// <summary>Applies the missing migrations up to <paramref name="version"/> (tests start from an older schema).</summary>
    internal Task MigrateAsync(int version, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _sql.OpenAsync(cancellationToken);
        await using var migrationLock = await _sql.LockMigrationsAsync(connection, cancellationToken);
        await _statements.ExecuteAsync(connection, null,
            $"CREATE TABLE IF NOT EXISTS schema_version (version {_sql.Words.Integer} PRIMARY KEY, applied_at {_sql.Words.Time} NOT NULL)",
            cancellationToken);
        foreach (var (number, sql) in SqlSchema.Migrations(_sql).Where(m => m.Version <= version))
        {
            await using var transaction = await _sql.BeginWriteAsync(connection, cancellationToken);
            await using var check = _statements.Command(connection, transaction, "SELECT count(*) FROM schema_version WHERE version = @v", ("@v", number));
            if (Convert.ToInt64(await _statements.ScalarAsync(check, cancellationToken)) > 0) continue;
            var now = _sql.Time(DateTimeOffset.UtcNow);
            if (number == SqlSchema.Deployment)
                await _statements.ExecuteAsync(connection, transaction, sql, cancellationToken, ("@now", now), ("@deployment", SqlSchema.NewDeploymentId()));
            else
                await _statements.ExecuteAsync(connection, transaction, sql, cancellationToken, ("@now", now));
            await _statements.ExecuteAsync(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES (@v, @now)",
                cancellationToken, ("@v", number), ("@now", now));
            await transaction.CommitAsync(cancellationToken);
        }
        return 0;
    });
}

/// <summary>The start-up task of a SQL record store: its schema migrations, before the server accepts requests.</summary>
internal sealed class SqlSchemaMigration(SqlAssetRepository repository) : IStorageStartupTask
{
    public Task RunAsync(CancellationToken cancellationToken) => repository.MigrateAsync(cancellationToken);
}
