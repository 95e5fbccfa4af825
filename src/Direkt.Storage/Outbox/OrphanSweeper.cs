using System.Text.RegularExpressions;
using Direkt.Storage.Objects;
using Direkt.Storage.Records;
using Microsoft.Extensions.Logging;

namespace Direkt.Storage.Outbox;

/// <summary>
/// Removes stored objects that no record points at: left by a crash between "object stored" and "record written", or by a
/// failed clean-up after a lost race (SECURITY.md: orphans swept). Only keys this deployment named are considered (its
/// deployment id, then `originals/` or `variants/` + a UUIDv7 + extension: <see cref="ObjectKeyNames"/>), so other files in a
/// shared bucket — another deployment's objects included, whose records this one cannot see — are never touched; keys named
/// before deployment ids (no prefix) are never swept either, since their owner cannot be told. And only once they are older
/// than <see cref="Grace"/> — the UUIDv7 carries its creation time — so an upload between its object and its record is never
/// mistaken for an orphan.
/// </summary>
public sealed partial class OrphanSweeper(IObjectStore objects, IReferencedObjects repository, ObjectKeyNames names, TimeProvider time,
    ILogger<OrphanSweeper> logger)
{
    public static readonly TimeSpan Grace = TimeSpan.FromHours(1);
    private const int PageSize = 500;

    [GeneratedRegex("^(?:[0-9a-f]{16}/)?(originals|variants)/([0-9a-f]{32})\\.[a-z0-9]{1,5}$")]
    private static partial Regex OwnKey();

    /// <summary>Sweeps the given buckets once; returns how many orphans were removed.</summary>
    public async Task<int> SweepAsync(IEnumerable<string> buckets, CancellationToken cancellationToken)
    {
        var removed = 0;
        var cutoff = time.GetUtcNow() - Grace;
        var own = await names.PrefixAsync(cancellationToken);
        foreach (var bucket in buckets)
        {
            var page = new List<string>(PageSize);
            await foreach (var key in objects.ListKeysAsync(bucket, own, cancellationToken))
            {
                if (!key.StartsWith(own, StringComparison.Ordinal) || CreatedAt(key) is not { } created || created > cutoff) continue;
                page.Add(key);
                if (page.Count == PageSize)
                {
                    removed += await RemoveUnreferencedAsync(bucket, page, cancellationToken);
                    page.Clear();
                }
            }
            removed += await RemoveUnreferencedAsync(bucket, page, cancellationToken);
        }
        if (removed > 0) logger.LogInformation("Removed {Count} stored objects that no record points at", removed);
        return removed;
    }

    /// <summary>When Direkt named this key (from its UUIDv7; with or without a deployment id), or null for a key Direkt did not name.</summary>
    public static DateTimeOffset? CreatedAt(string key)
    {
        var match = OwnKey().Match(key);
        if (!match.Success || !Guid.TryParseExact(match.Groups[2].Value, "N", out var id) || id.Version != 7) return null;
        var hex = match.Groups[2].Value[..12]; // the first 48 bits: unix milliseconds
        return DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(hex, 16));
    }

    private async Task<int> RemoveUnreferencedAsync(string bucket, List<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0) return 0;
        var referenced = await repository.FindReferencedKeysAsync(bucket, keys, cancellationToken);
        var removed = 0;
        foreach (var key in keys.Where(k => !referenced.Contains(k)))
        {
            // Checked again one by one: a record may have appeared since the page was read (it never does past the grace
            // period, but deleting a referenced object would lose data, so the check is cheap insurance).
            if ((await repository.FindReferencedKeysAsync(bucket, [key], cancellationToken)).Count > 0) continue;
            if (await objects.DeleteAsync(bucket, key, cancellationToken)) removed++;
        }
        return removed;
    }
}
