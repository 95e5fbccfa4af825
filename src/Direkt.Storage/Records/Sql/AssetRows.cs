using System.Data.Common;
using System.Text.Json;

namespace Direkt.Storage.Records.Sql;

/// <summary>
/// Reads assets with their variants, the same in every SQL dialect; only how times, flags and JSON columns are stored differs
/// (<see cref="SqlDialect"/>). Two statements: the assets, then all their variants.
/// </summary>
internal static class AssetRows
{
    public const string VariantColumns =
        "v.asset_id, v.is_original, v.transformation, v.store_bucket, v.store_key, v.width, v.height, v.format, v.page_count, v.loop, " +
        "v.color_space, v.bytes, v.blurhash, v.thumbhash, v.created_at, v.accessed_at";

    public static async Task<List<AssetRecord>> QueryAsync(DbConnection connection, DbTransaction? transaction, SqlDialect sql,
        string where, string orderAndLimit, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var assets = new List<(long Id, AssetRecord Record)>();
        await using (var command = Command(connection, transaction, $"""
            SELECT a.id, a.path, a.entry_id, a.alt, {sql.Text("a.labels")}, {sql.Text("a.tags")}, a.source, a.source_url, a.created_at, a.modified_at
            FROM assets a WHERE {where}{orderAndLimit}
            """, parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                assets.Add((reader.GetInt64(0), new AssetRecord
                {
                    Path = reader.GetString(1),
                    EntryId = reader.GetInt64(2),
                    Alt = reader.IsDBNull(3) ? null : reader.GetString(3),
                    Labels = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4))!,
                    Tags = JsonSerializer.Deserialize<List<string>>(reader.GetString(5))!,
                    Source = reader.GetString(6),
                    SourceUrl = reader.IsDBNull(7) ? null : reader.GetString(7),
                    CreatedAt = sql.ReadTime(reader, 8),
                    ModifiedAt = sql.ReadTime(reader, 9),
                    Variants = [],
                }));
            }
        }
        if (assets.Count == 0) return [];

        var variants = assets.ToDictionary(a => a.Id, _ => new List<VariantRecord>());
        var ids = string.Join(',', assets.Select(a => a.Id)); // integers read from the database, never user input
        await using (var command = Command(connection, transaction,
            $"SELECT {VariantColumns} FROM variants v WHERE v.asset_id IN ({ids}) ORDER BY v.is_original DESC, v.id"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) variants[reader.GetInt64(0)].Add(ReadVariant(reader, sql));
        }
        return assets.Select(a => a.Record with { Variants = variants[a.Id] }).ToList();
    }

    /// <summary>One row of <see cref="VariantColumns"/>.</summary>
    public static VariantRecord ReadVariant(DbDataReader r, SqlDialect sql)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        var blurhash = Text(12);
        var thumbhash = Text(13);
        return new VariantRecord
        {
            IsOriginalVariant = sql.ReadFlag(r, 1),
            Transformation = Text(2),
            StoreBucket = r.GetString(3),
            StoreKey = r.GetString(4),
            Attributes = new VariantAttributes(r.GetInt32(5), r.GetInt32(6), r.GetString(7), r.GetInt32(8), r.GetInt32(9), r.GetString(10),
                r.GetInt64(11)),
            Lqip = blurhash is null && thumbhash is null ? null : new Lqip(blurhash, thumbhash),
            CreatedAt = sql.ReadTime(r, 14),
            AccessedAt = r.IsDBNull(15) ? null : sql.ReadTime(r, 15),
        };
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string text, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
