namespace Direkt.Storage.Records;

/// <summary>
/// The repository's own guard on label filters: each filter is a condition of the database query (SQLite refuses past its
/// expression depth), so more than <see cref="AssetQuery.MaxLabelFilters"/> is the request's fault, whoever let it through.
/// </summary>
internal static class LabelFilters
{
    public static void Check(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is { Count: > AssetQuery.MaxLabelFilters })
            throw new StorageInputRejectedException($"at most {AssetQuery.MaxLabelFilters} label filters are allowed, {labels.Count} were given");
    }
}
