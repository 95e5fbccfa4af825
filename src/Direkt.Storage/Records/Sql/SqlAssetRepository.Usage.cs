namespace Direkt.Storage.Records.Sql;

/// <summary>Stored objects and bytes per bucket: one aggregate over the variant records.</summary>
public sealed partial class SqlAssetRepository
{
    public Task<IReadOnlyList<BucketUsage>> StoredBytesByBucketAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _sql.OpenAsync(cancellationToken);
        await using var command = _statements.Command(connection, null,
            "SELECT store_bucket, count(*), coalesce(sum(bytes), 0) FROM variants GROUP BY store_bucket ORDER BY store_bucket");
        return (IReadOnlyList<BucketUsage>)await _statements.ListAsync(command,
            r => new BucketUsage(r.GetString(0), Convert.ToInt64(r.GetValue(1)), Convert.ToInt64(r.GetValue(2))), cancellationToken);
    });
}
