using System.Data.Common;
using System.Text.Json;
using Direkt.Storage.Records.Jobs;

namespace Direkt.Storage.Records.Sql;

/// <summary>Background jobs (claimed under a lease, progress saved by the lease holder) and the asset pages they walk.</summary>
public sealed partial class SqlAssetRepository
{
    private const string JobColumns = """
        id, kind, state, path, profiles, transformations, dry_run, total, done, skipped, failed, purged_variants, purged_bytes, errors,
        cursor_path, cursor_entry, owner, lease_until, created_at, started_at, finished_at
        """;

    public Task CreateJobAsync(StoredJob job, CancellationToken cancellationToken) =>
        WriteAsync($"""
            INSERT INTO jobs ({JobColumns})
            VALUES (@id, @kind, @state, @path, @profiles, @transformations, @dry, 0, 0, 0, 0, 0, 0, '[]', NULL, NULL, NULL, NULL, @created, NULL, NULL)
            """, cancellationToken, ("@id", job.Id), ("@kind", job.Kind), ("@state", job.State), ("@path", job.Path),
            ("@profiles", JsonSerializer.Serialize(job.Profiles)), ("@transformations", JsonSerializer.Serialize(job.Transformations)),
            ("@dry", _sql.Flag(job.DryRun)), ("@created", _sql.Time(Truncate(job.CreatedAt))));

    public Task<StoredJob?> GetJobAsync(string id, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _sql.OpenAsync(cancellationToken);
        await using var command = _statements.Command(connection, null, $"SELECT {JobColumns} FROM jobs WHERE id = @id", ("@id", id));
        return (await _statements.ListAsync(command, ReadJob, cancellationToken)).FirstOrDefault();
    });

    public Task<JobPage> ListJobsAsync(JobListing listing, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _sql.OpenAsync(cancellationToken);
        // Ids are version-7 GUIDs: their order is the creation order.
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("@limit", listing.Limit) };
        if (listing.State is not null) { where.Add("state = @state"); parameters.Add(("@state", listing.State)); }
        if (listing.After is not null) { where.Add("id < @after"); parameters.Add(("@after", listing.After)); }
        var condition = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        await using var page = _statements.Command(connection, null, $"SELECT {JobColumns} FROM jobs{condition} ORDER BY id DESC LIMIT @limit",
            [.. parameters]);
        var jobs = await _statements.ListAsync(page, ReadJob, cancellationToken);
        await using var counts = _statements.Command(connection, null, "SELECT state, count(*) FROM jobs GROUP BY state");
        var byState = JobStates.All.ToDictionary(s => s, _ => 0L);
        foreach (var (state, count) in await _statements.ListAsync(counts, r => (r.GetString(0), r.GetInt64(1)), cancellationToken))
            byState[state] = count;
        return new JobPage(jobs, byState);
    });

    public Task<StoredJob?> ClaimJobAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await _sql.OpenAsync(cancellationToken);
            await using var transaction = await _sql.BeginWriteAsync(connection, cancellationToken);
            // The lease condition is repeated outside the subquery: PostgreSQL re-checks it on the locked row.
            await using var claim = _statements.Command(connection, transaction, $"""
                UPDATE jobs SET owner = @owner, lease_until = @lease, state = '{JobStates.Running}', started_at = coalesce(started_at, @now)
                WHERE id = (SELECT id FROM jobs WHERE state IN ('{JobStates.Queued}', '{JobStates.Running}')
                                AND (lease_until IS NULL OR lease_until < @now) ORDER BY id LIMIT 1{_sql.Words.SkipLocked})
                  AND state IN ('{JobStates.Queued}', '{JobStates.Running}') AND (lease_until IS NULL OR lease_until < @now)
                RETURNING {JobColumns}
                """, ("@owner", owner), ("@lease", _sql.Time(leaseUntil)), ("@now", _sql.Time(now)));
            var claimed = (await _statements.ListAsync(claim, ReadJob, cancellationToken)).FirstOrDefault();
            await transaction.CommitAsync(cancellationToken);
            return claimed;
        });

    public Task<string?> SaveJobAsync(StoredJob job, DateTimeOffset leaseUntil, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _sql.OpenAsync(cancellationToken);
        await using var transaction = await _sql.BeginWriteAsync(connection, cancellationToken);
        await using var save = _statements.Command(connection, transaction, $"""
            UPDATE jobs SET state = CASE WHEN state = '{JobStates.Cancelled}' THEN state ELSE @state END,
                total = @total, done = @done, skipped = @skipped, failed = @failed, purged_variants = @pv, purged_bytes = @pb, errors = @errors,
                cursor_path = @cp, cursor_entry = @ce, lease_until = @lease,
                finished_at = CASE WHEN state = '{JobStates.Cancelled}' THEN finished_at ELSE CAST(@finished AS {_sql.Words.Time}) END
            WHERE id = @id AND owner = @owner
            RETURNING state
            """, ("@state", job.State), ("@total", job.Total), ("@done", job.Done), ("@skipped", job.Skipped), ("@failed", job.Failed),
            ("@pv", job.PurgedVariants), ("@pb", job.PurgedBytes), ("@errors", JsonSerializer.Serialize(job.Errors)),
            ("@cp", job.Cursor?.Path), ("@ce", job.Cursor?.EntryId), ("@lease", _sql.Time(leaseUntil)),
            ("@finished", job.FinishedAt is { } f ? _sql.Time(Truncate(f)) : null), ("@id", job.Id), ("@owner", job.Owner));
        var state = (await _statements.ListAsync(save, r => r.GetString(0), cancellationToken)).FirstOrDefault();
        await transaction.CommitAsync(cancellationToken);
        return state;
    });

    public Task<StoredJob?> CancelJobAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _sql.OpenAsync(cancellationToken);
        await using (var transaction = await _sql.BeginWriteAsync(connection, cancellationToken))
        {
            await _statements.ExecuteAsync(connection, transaction, $"""
                UPDATE jobs SET state = '{JobStates.Cancelled}', finished_at = @now
                WHERE id = @id AND state IN ('{JobStates.Queued}', '{JobStates.Running}')
                """, cancellationToken, ("@id", id), ("@now", _sql.Time(Truncate(now))));
            await transaction.CommitAsync(cancellationToken);
        }
        await using var command = _statements.Command(connection, null, $"SELECT {JobColumns} FROM jobs WHERE id = @id", ("@id", id));
        return (await _statements.ListAsync(command, ReadJob, cancellationToken)).FirstOrDefault();
    });

    public Task<int> RemoveFinishedJobsAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken) =>
        WriteAsync($"""
            DELETE FROM jobs WHERE state IN ('{JobStates.Done}', '{JobStates.Failed}', '{JobStates.Cancelled}') AND finished_at < @before
            """, cancellationToken, ("@before", _sql.Time(finishedBefore)));

    public Task<AssetTally> TallyAsync(AssetScope scope, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _sql.OpenAsync(cancellationToken);
        var (where, parameters) = ScopeCondition(scope);
        await using var command = _statements.Command(connection, null, $"""
            SELECT count(DISTINCT a.id), count(v.id), coalesce(sum(v.bytes), 0)
            FROM assets a LEFT JOIN variants v ON v.asset_id = a.id AND v.is_original = {_sql.Words.False}
            WHERE {where}
            """, [.. parameters]);
        return (await _statements.ListAsync(command, r => new AssetTally(r.GetInt64(0), r.GetInt64(1), Convert.ToInt64(r.GetValue(2))),
            cancellationToken)).Single();
    });

    public Task<IReadOnlyList<AssetRecord>> PageAsync(AssetScope scope, AssetPosition? after, int max, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await _sql.OpenAsync(cancellationToken);
            var (where, parameters) = ScopeCondition(scope);
            if (after is not null)
            {
                where = $"({where}) AND (a.path > @afterPath OR (a.path = @afterPath AND a.entry_id > @afterEntry))";
                parameters.AddRange([("@afterPath", after.Path), ("@afterEntry", after.EntryId)]);
            }
            parameters.Add(("@max", max));
            return (IReadOnlyList<AssetRecord>)await AssetRows.QueryAsync(_statements, connection, null, VariantScope.All, where,
                " ORDER BY a.path, a.entry_id LIMIT @max", cancellationToken, [.. parameters]);
        });

    private (string Where, List<(string, object?)> Parameters) ScopeCondition(AssetScope scope)
    {
        var parameters = new List<(string, object?)> { ("@scopePath", scope.Path) };
        if (!scope.Below) return ("a.path = @scopePath", parameters);
        if (scope.Path == "/") return ("1 = 1", []);
        var (below, belowParameters) = _sql.Below(scope.Path.TrimEnd('/') + "/");
        parameters.AddRange(belowParameters);
        return ($"(a.path = @scopePath OR {below})", parameters);
    }

    private StoredJob ReadJob(DbDataReader r) => new()
    {
        Id = r.GetString(0), Kind = r.GetString(1), State = r.GetString(2), Path = r.GetString(3),
        Profiles = JsonSerializer.Deserialize<List<string>>(r.GetString(4)) ?? [],
        Transformations = JsonSerializer.Deserialize<List<string>>(r.GetString(5)) ?? [],
        DryRun = _sql.ReadFlag(r, 6),
        Total = r.GetInt64(7), Done = r.GetInt64(8), Skipped = r.GetInt64(9), Failed = r.GetInt64(10),
        PurgedVariants = r.GetInt64(11), PurgedBytes = r.GetInt64(12),
        Errors = JsonSerializer.Deserialize<List<JobError>>(r.GetString(13)) ?? [],
        Cursor = r.IsDBNull(14) ? null : new AssetPosition(r.GetString(14), r.GetInt64(15)),
        Owner = r.IsDBNull(16) ? null : r.GetString(16),
        LeaseUntil = r.IsDBNull(17) ? null : _sql.ReadTime(r, 17),
        CreatedAt = _sql.ReadTime(r, 18),
        StartedAt = r.IsDBNull(19) ? null : _sql.ReadTime(r, 19),
        FinishedAt = r.IsDBNull(20) ? null : _sql.ReadTime(r, 20),
    };
}
