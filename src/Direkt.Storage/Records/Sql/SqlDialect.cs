using System.Data.Common;

namespace Direkt.Storage.Records.Sql;

/// <summary>
/// What differs between the SQL databases; everything else — statements, transactions, migrations — is written once in
/// <see cref="SqlAssetRepository"/>. Statements name parameters "@name" (both drivers accept it).
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>Opens a connection ready for statements (per-connection settings applied).</summary>
    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins a transaction that writes; SQLite takes the write lock at once so writers queue instead of failing.</summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Holds the lock that serializes migrations of instances starting together until disposed; also applies settings that
    /// persist in the database (SQLite's WAL journal).
    /// </summary>
    public abstract Task<IAsyncDisposable> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// The words that differ: column types of the schema, flag literals, and the row locks of a SELECT inside a write
    /// transaction ("" where the transaction already excludes other writers).
    /// </summary>
    public abstract SqlWords Words { get; }

    /// <summary>Schema parts of a migration only this database has (label rows, operator-class indexes, checks).</summary>
    public abstract string ExtraSchema(int version);

    /// <summary>A JSON column as text in a SELECT list.</summary>
    public abstract string Text(string jsonColumn);

    /// <summary>A condition "a.path is strictly below <paramref name="prefix"/>" (prefix ends with '/') and its parameters.</summary>
    public abstract (string Condition, IEnumerable<(string, object?)> Parameters) Below(string prefix);

    /// <summary>A condition "the asset carries every pair of <paramref name="labels"/>" and its parameters.</summary>
    public abstract (string Condition, IEnumerable<(string, object?)> Parameters) Labelled(IReadOnlyDictionary<string, string> labels);

    /// <summary>A condition "<paramref name="column"/> is one of <paramref name="values"/>" as one parameter, whatever their number.</summary>
    public abstract (string Condition, (string, object?) Parameter) AnyOf(string column, IReadOnlyCollection<string> values);

    /// <summary>Whether labels are also kept as rows of asset_labels (SQLite's index for label filters).</summary>
    public abstract bool KeepsLabelRows { get; }

    // Values.
    public abstract object Time(DateTimeOffset time);
    public abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);
    public abstract object Flag(bool value);
    public abstract bool ReadFlag(DbDataReader reader, int ordinal);
    /// <summary>A JSON parameter; <paramref name="binary"/> for a jsonb column.</summary>
    public abstract DbParameter Json(string name, string json, bool binary);

    /// <summary>
    /// The storage exception a driver exception stands for: <see cref="StorageUnavailableException"/> for outages the operator
    /// fixes (503), <see cref="StorageInputRejectedException"/> for input the database refuses (400); null for bugs (500).
    /// </summary>
    public abstract Exception? Translate(Exception exception);
}

/// <summary>The words of a dialect: column types (OrderedJson keeps labels in the order given), flag literals, row-lock clauses.</summary>
internal sealed record SqlWords(string KeyColumn, string Text, string Integer, string BigInteger, string Time, string Flag, string OrderedJson,
    string Json, string True, string False, string ForUpdate, string ForKeyShare, string SkipLocked);
