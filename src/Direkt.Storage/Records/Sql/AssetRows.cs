using System.Data.Common;
using System.Text.Json;

namespace Direkt.Storage.Records.Sql;

/// <summary>
/// Reads assets with their variants, the same in every SQL dialect; only how times, flags and JSON columns are stored differs
/// (<see cref="SqlDialect"/>). With <see cref="VariantScope.Original"/> one statement reads each asset joined to its original
/// (the hit path); with <see cref="VariantScope.All"/> a second statement reads all their variants.
/// </summary>
internal static class AssetRows
{
    public const string VariantColumns =
        "v.asset_id, v.is_original, v.transformation, v.store_bucket, v.store_key, v.width, v.height, v.format, v.page_count, v.loop, " +
        "v.color_space, v.bytes, v.blurhash, v.thumbhash, v.created_at, v.accessed_at";

    private const int AssetColumnCount = 10;

    public static async Task<List<AssetRecord>> QueryAsync(SqlStatements statements, DbConnection connection, DbTransaction? transaction,
        VariantScope scope, string where, string orderAndLimit, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var sql = statements.Dialect;
        var original = scope == VariantScope.Original
            ? $", {VariantColumns} FROM assets a JOIN variants v ON v.asset_id = a.id AND v.is_original = {sql.Words.True}"
            : " FROM assets a";
        await using var command = statements.Command(connection, transaction, $"""
            SELECT a.id, a.path, a.entry_id, a.alt, {sql.Text("a.labels")}, {sql.Text("a.tags")}, a.source, a.source_url, a.created_at, a.modified_at{original}
            WHERE {where}{orderAndLimit}
            """, parameters);
        var assets = await statements.ListAsync(command, r => (Id: r.GetInt64(0), Record: ReadAsset(r, sql) with
        {
            Variants = scope == VariantScope.Original ? [ReadVariant(r, sql, AssetColumnCount)] : [],
        }), cancellationToken);
        if (scope == VariantScope.Original || assets.Count == 0) return assets.Select(a => a.Record).ToList();

        var ids = string.Join(',', assets.Select(a => a.Id)); // integers read from the database, never user input
        await using var all = statements.Command(connection, transaction,
            $"SELECT {VariantColumns} FROM variants v WHERE v.asset_id IN ({ids}) ORDER BY v.is_original DESC, v.id");
        var variants = (await statements.ListAsync(all, r => (AssetId: r.GetInt64(0), Variant: ReadVariant(r, sql)), cancellationToken))
            .ToLookup(v => v.AssetId, v => v.Variant);
        return assets.Select(a => a.Record with { Variants = variants[a.Id].ToList() }).ToList();
    }

    private static AssetRecord ReadAsset(DbDataReader r, SqlDialect sql) => new()
    {
        Path = r.GetString(1),
        EntryId = r.GetInt64(2),
        Alt = r.IsDBNull(3) ? null : r.GetString(3),
        Labels = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(4))!,
        Tags = JsonSerializer.Deserialize<List<string>>(r.GetString(5))!,
        Source = r.GetString(6),
        SourceUrl = r.IsDBNull(7) ? null : r.GetString(7),
        CreatedAt = sql.ReadTime(r, 8),
        ModifiedAt = sql.ReadTime(r, 9),
        Variants = [],
    };

    /// <summary>One row of <see cref="VariantColumns"/>, starting at column <paramref name="at"/>.</summary>
    public static VariantRecord ReadVariant(DbDataReader r, SqlDialect sql, int at = 0)
    {
        string? Text(int i) => r.IsDBNull(at + i) ? null : r.GetString(at + i);
        var blurhash = Text(12);
        var thumbhash = Text(13);
        return new VariantRecord
        {
            IsOriginalVariant = sql.ReadFlag(r, at + 1),
            Transformation = Text(2),
            StoreBucket = r.GetString(at + 3),
            StoreKey = r.GetString(at + 4),
            Attributes = new VariantAttributes(r.GetInt32(at + 5), r.GetInt32(at + 6), r.GetString(at + 7), r.GetInt32(at + 8),
                r.GetInt32(at + 9), r.GetString(at + 10), r.GetInt64(at + 11)),
            Lqip = blurhash is null && thumbhash is null ? null : new Lqip(blurhash, thumbhash),
            CreatedAt = sql.ReadTime(r, at + 14),
            AccessedAt = r.IsDBNull(at + 15) ? null : sql.ReadTime(r, at + 15),
        };
    }
}
