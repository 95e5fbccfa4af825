using System.Data.Common;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Direkt.Storage.Records.Sql;

/// <summary>
/// PostgreSQL, shared by several Direkt instances. Entry ids come from a per-path counter row whose row lock orders concurrent
/// uploads across instances; row locks (FOR UPDATE, FOR KEY SHARE, SKIP LOCKED) stand in for SQLite's single writer.
/// timestamptz holds microseconds; times are truncated to the millisecond like in every other repository.
/// </summary>
internal sealed class PostgresDialect(string connectionString) : SqlDialect, IAsyncDisposable
{
    /// <summary>Key of the advisory lock that serializes migrations of instances starting together.</summary>
    private const long MigrationLockKey = 0x4469_726B_6D69_67; // "Dirkmig"

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    /// <summary>Builds the connection string from direkt.conf's data-store.postgresql settings.</summary>
    public static string ConnectionString(PostgresSettings settings) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = settings.Host, Port = settings.Port, Database = settings.Database, Username = settings.User, Password = settings.Password,
            SslMode = Enum.Parse<SslMode>(settings.SslMode.Replace("-", ""), ignoreCase: true),
            MaxPoolSize = settings.PoolSize, Timeout = 10, CommandTimeout = 30, ApplicationName = "direkt",
        }.ToString();

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken);

    public override async Task<IAsyncDisposable> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await AdvisoryAsync(connection, "pg_advisory_lock", cancellationToken);
        return new Unlock(connection);
    }

    private static async Task AdvisoryAsync(DbConnection connection, string function, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(@key)", (NpgsqlConnection)connection);
        command.Parameters.AddWithValue("key", MigrationLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // SKIP LOCKED: instances working the outbox at once take disjoint entries.
    public override SqlWords Words { get; } = new("bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "text", "integer", "bigint",
        "timestamptz", "boolean", "json", "jsonb", True: "true", False: "false", ForUpdate: " FOR UPDATE", ForKeyShare: " FOR KEY SHARE",
        SkipLocked: " FOR UPDATE SKIP LOCKED");

    public override string ExtraSchema(int version) => version switch
    {
        1 => """
            CREATE INDEX assets_by_path_prefix ON assets (path text_pattern_ops);
            -- Label filters are jsonb containment (labels stay json to keep their order).
            CREATE INDEX assets_by_labels ON assets USING gin ((labels::jsonb) jsonb_path_ops);
            ALTER TABLE variants ADD CHECK (is_original = (transformation IS NULL));
            """,
        _ => "",
    };

    public override string Text(string jsonColumn) => jsonColumn + "::text";

    // LIKE with a constant prefix uses the text_pattern_ops index; the path's own wildcards are escaped.
    public override (string, IEnumerable<(string, object?)>) Below(string prefix) =>
        ("a.path LIKE @below ESCAPE '!'", [("@below", prefix.Replace("!", "!!").Replace("%", "!%").Replace("_", "!_") + "%")]);

    // Containment on the jsonb form uses the GIN index.
    public override (string, IEnumerable<(string, object?)>) Labelled(IReadOnlyDictionary<string, string> labels) =>
        ("a.labels::jsonb @> @labels::jsonb", [("@labels", JsonSerializer.Serialize(labels))]);

    public override (string, (string, object?)) AnyOf(string column, IReadOnlyCollection<string> values) =>
        ($"{column} = ANY(@values)", ("@values", values.ToArray()));

    public override bool KeepsLabelRows => false;

    public override object Time(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);
    public override object Flag(bool value) => value;
    public override bool ReadFlag(DbDataReader reader, int ordinal) => reader.GetBoolean(ordinal);
    public override DbParameter Json(string name, string json, bool binary) =>
        new NpgsqlParameter(name, binary ? NpgsqlDbType.Jsonb : NpgsqlDbType.Json) { Value = json };

    // Connection failures, resource exhaustion, shutdowns, lock timeouts, a missing database or refused login are outages the
    // operator fixes (503). Data exceptions (class 22: a NUL in text or JSON, bad encoding, a too long value) and program
    // limits (class 54: an index row too large) are caused by the request's input (400). Other SQL errors are bugs.
    public override Exception? Translate(Exception exception) => exception switch
    {
        PostgresException p when p.SqlState[..2] is "22" or "54" =>
            new StorageInputRejectedException($"the asset database refuses a value of this request ({p.SqlState})", p),
        PostgresException p when p.SqlState[..2] is "08" or "53" or "57" or "58" or "28" or "3D" || p.SqlState is "55P03" or "55006" =>
            Outage(p),
        PostgresException => null,
        NpgsqlException or TimeoutException => Outage(exception),
        _ => null,
    };

    private static StorageUnavailableException Outage(Exception e) =>
        new($"the asset database cannot be used right now: {e.Message}", e);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private sealed class Unlock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await AdvisoryAsync(connection, "pg_advisory_unlock", CancellationToken.None);
    }
}
