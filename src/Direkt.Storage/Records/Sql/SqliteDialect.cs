using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Direkt.Storage.Records.Sql;

/// <summary>
/// SQLite (the embedded default). WAL mode lets readers run beside the single writer; writes take the write lock up front
/// (BEGIN IMMEDIATE) so allocating an entry id never races. Times are unix milliseconds UTC: they round-trip exactly to the
/// millisecond and sort as integers.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    private static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(30);

    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;

    /// <param name="databasePath">The database file, e.g. "data/direkt.db"; its folder is created.</param>
    /// <param name="lockTimeout">How long a statement waits for another writer's lock before the store counts as unavailable.</param>
    public SqliteDialect(string databasePath, TimeSpan? lockTimeout)
    {
        var timeout = lockTimeout ?? DefaultLockTimeout;
        _busyTimeoutMs = (int)Math.Max(1, timeout.TotalMilliseconds);
        var full = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy statement until this many seconds have passed, on top of busy_timeout.
            DefaultTimeout = (int)Math.Ceiling(Math.Max(1, timeout.TotalSeconds)),
        }.ToString();
    }

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // Connection set-up, not a statement of the caller's. PRAGMAs take no parameters; the value spliced in is our own integer.
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA synchronous = NORMAL;";
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    // Not deferred: Microsoft.Data.Sqlite then issues BEGIN IMMEDIATE.
    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));
    }

    // Each migration runs under BEGIN IMMEDIATE and checks its version inside, so concurrent starters need no further lock.
    public override async Task<IAsyncDisposable> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode = WAL;";
        await wal.ExecuteNonQueryAsync(cancellationToken);
        return NoLock.Instance;
    }

    // Type affinities (times are unix milliseconds, flags 0/1); no row locks: BEGIN IMMEDIATE already admits one writer.
    public override SqlWords Words { get; } = new("INTEGER PRIMARY KEY", "TEXT", "INTEGER", "INTEGER", "INTEGER", "INTEGER", "TEXT", "TEXT",
        True: "1", False: "0", ForUpdate: "", ForKeyShare: "", SkipLocked: "");

    public override string ExtraSchema(int version) => version switch
    {
        1 => """
            CREATE TABLE asset_labels (
                asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (asset_id, key)
            );
            CREATE INDEX asset_labels_by_pair ON asset_labels (key, value);
            """,
        _ => "",
    };

    public override string Text(string jsonColumn) => jsonColumn;

    // Everything from "p/" up to (not including) "p0" in byte order is below p: '0' follows '/'. Index-friendly.
    public override (string, IEnumerable<(string, object?)>) Below(string prefix) =>
        ("(a.path >= @below AND a.path < @beyond)", [("@below", prefix), ("@beyond", prefix[..^1] + "0")]);

    public override (string, IEnumerable<(string, object?)>) Labelled(IReadOnlyDictionary<string, string> labels)
    {
        var conditions = labels.Select((_, i) =>
            $"EXISTS (SELECT 1 FROM asset_labels l WHERE l.asset_id = a.id AND l.key = @k{i} AND l.value = @v{i})");
        var parameters = labels.SelectMany((l, i) => new (string, object?)[] { ($"@k{i}", l.Key), ($"@v{i}", l.Value) });
        return (string.Join(" AND ", conditions), parameters.ToList());
    }

    // json_each turns one JSON array parameter into rows.
    public override (string, (string, object?)) AnyOf(string column, IReadOnlyCollection<string> values) =>
        ($"{column} IN (SELECT value FROM json_each(@values))", ("@values", JsonSerializer.Serialize(values)));

    public override bool KeepsLabelRows => true;

    public override object Time(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
    public override object Flag(bool value) => value ? 1 : 0;
    public override bool ReadFlag(DbDataReader reader, int ordinal) => reader.GetInt64(ordinal) == 1;
    public override DbParameter Json(string name, string json, bool binary) => new SqliteParameter(name, json);

    // Primary result codes: BUSY, LOCKED, READONLY (permissions, read-only disk), IOERR, FULL, CANTOPEN, NOTADB are outages;
    // TOOBIG is input past a limit. Constraint or SQL errors stay as they are: they are bugs.
    public override Exception? Translate(Exception exception) => exception switch
    {
        SqliteException e when (e.SqliteErrorCode & 0xFF) is 5 or 6 or 8 or 10 or 13 or 14 or 26 =>
            new StorageUnavailableException("the asset database cannot be used right now", e),
        SqliteException e when (e.SqliteErrorCode & 0xFF) is 18 =>
            new StorageInputRejectedException("a value is too large for the asset database", e),
        _ => null,
    };

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
