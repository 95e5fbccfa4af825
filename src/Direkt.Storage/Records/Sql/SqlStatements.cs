using System.Data.Common;

namespace Direkt.Storage.Records.Sql;

/// <summary>Sees every statement the SQL repository sends, just before it runs (tests count them and explain their plans).</summary>
public interface ISqlStatementObserver
{
    void Executing(DbCommand command);
}

/// <summary>Builds and runs the repository's statements; every execution passes the observer first.</summary>
internal sealed class SqlStatements(SqlDialect dialect, ISqlStatementObserver? observer)
{
    public SqlDialect Dialect => dialect;

    public DbCommand Command(DbConnection connection, DbTransaction? transaction, string text, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters) Add(command, name, value);
        return command;
    }

    public static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    public Task<int> ExecuteAsync(DbCommand command, CancellationToken cancellationToken)
    {
        observer?.Executing(command);
        return command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<object?> ScalarAsync(DbCommand command, CancellationToken cancellationToken)
    {
        observer?.Executing(command);
        return command.ExecuteScalarAsync(cancellationToken);
    }

    public Task<DbDataReader> ReaderAsync(DbCommand command, CancellationToken cancellationToken)
    {
        observer?.Executing(command);
        return command.ExecuteReaderAsync(cancellationToken);
    }

    public async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string text, CancellationToken cancellationToken,
        params (string, object?)[] parameters)
    {
        await using var command = Command(connection, transaction, text, parameters);
        return await ExecuteAsync(command, cancellationToken);
    }

    /// <summary>Every row of a query, read by <paramref name="read"/>.</summary>
    public async Task<List<T>> ListAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await ReaderAsync(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add(read(reader));
        return rows;
    }
}
