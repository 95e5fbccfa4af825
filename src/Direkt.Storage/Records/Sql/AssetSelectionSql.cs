namespace Direkt.Storage.Records.Sql;

/// <summary>The WHERE clause, ORDER BY/LIMIT and parameters that select assets; finding and deleting share it in every dialect.</summary>
internal static class AssetSelectionSql
{
    public static (string Where, string OrderAndLimit, (string, object?)[] Parameters) Build(AssetDeletion selection, SqlDialect sql)
    {
        var parameters = new List<(string, object?)>();
        string P(string name, object? value)
        {
            parameters.Add(("@" + name, value));
            return "@" + name;
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
            LabelFilters.Check(labels);
            var (labelled, labelParameters) = sql.Labelled(labels);
            where += " AND " + labelled;
            parameters.AddRange(labelParameters);
        }
        return (where, orderAndLimit, [.. parameters]);
    }
}
