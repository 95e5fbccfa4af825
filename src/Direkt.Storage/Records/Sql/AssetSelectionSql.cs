namespace Direkt.Storage.Records.Sql;

/// <summary>What differs between the SQL dialects when selecting assets: parameter names, prefixes below a path, labels.</summary>
internal abstract class SqlDialect
{
    /// <summary>How a named parameter is written in SQL ("$path" for SQLite, "@path" for PostgreSQL).</summary>
    public abstract string Parameter(string name);

    /// <summary>The name a parameter is added under (SQLite keeps the prefix, Npgsql drops it).</summary>
    public abstract string ParameterName(string name);

    /// <summary>A condition "a.path is strictly below <paramref name="prefix"/>" (prefix ends with '/') and its parameters.</summary>
    public abstract (string Condition, IEnumerable<(string, object?)> Parameters) Below(string prefix);

    /// <summary>A condition "the asset carries every pair of <paramref name="labels"/>" and its parameters.</summary>
    public abstract (string Condition, IEnumerable<(string, object?)> Parameters) Labelled(IReadOnlyDictionary<string, string> labels);

    /// <summary>A JSON column as text in a SELECT list.</summary>
    public abstract string Text(string jsonColumn);

    /// <summary>A stored time as UTC, to the millisecond.</summary>
    public abstract DateTimeOffset ReadTime(System.Data.Common.DbDataReader reader, int ordinal);

    public abstract bool ReadFlag(System.Data.Common.DbDataReader reader, int ordinal);
}

/// <summary>The WHERE clause, ORDER BY/LIMIT and parameters that select assets; finding and deleting share it in every dialect.</summary>
internal static class AssetSelectionSql
{
    public static (string Where, string OrderAndLimit, (string, object?)[] Parameters) Build(AssetDeletion selection, SqlDialect sql)
    {
        var parameters = new List<(string, object?)>();
        string P(string name, object? value)
        {
            parameters.Add((sql.ParameterName(name), value));
            return sql.Parameter(name);
        }

        string where;
        IReadOnlyDictionary<string, string>? labels = null;
        var orderAndLimit = "";
        switch (selection)
        {
            case AssetDeletion.Entry entry:
                where = $"a.path = {P("path", entry.Path)} AND a.entry_id = {P("entry", entry.EntryId)}";
                break;
            case AssetDeletion.Matching { Query: var query }:
                where = $"a.path = {P("path", query.Path)}";
                labels = query.Labels;
                var order = query.Order == AssetOrder.Modified ? "a.modified_at DESC, a.entry_id DESC" : "a.created_at DESC, a.entry_id DESC";
                orderAndLimit = $" ORDER BY {order}" + (query.Limit < 0 ? "" : $" LIMIT {P("limit", query.Limit)}");
                break;
            case AssetDeletion.Recursive recursive:
                var (below, belowParameters) = sql.Below(recursive.Path.TrimEnd('/') + "/");
                where = $"(a.path = {P("path", recursive.Path)} OR {below})";
                parameters.AddRange(belowParameters);
                labels = recursive.Labels;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(selection));
        }
        if (labels is { Count: > 0 })
        {
            var (labelled, labelParameters) = sql.Labelled(labels);
            where += " AND " + labelled;
            parameters.AddRange(labelParameters);
        }
        return (where, orderAndLimit, [.. parameters]);
    }
}
