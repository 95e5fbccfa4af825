using Direkt.Configuration.Loading;
using Direkt.Configuration.Options;
using Direkt.Storage.Records;
using Microsoft.Extensions.Logging;

namespace Direkt.Assets;

/// <summary>
/// `transform.expire` (API.md §5): generated variants of a path expire `ttl` after creation (strategy ttl) or after their last
/// use (strategy idle). The reaper removes expired records first and queues their objects in the deletion outbox; originals
/// never expire. Use is recorded coarsely (at most every tenth of the ttl, and at least once a minute) to keep reads cheap.
/// </summary>
public sealed class VariantExpiry(IAssetRepository repository, DirektConfigurationMonitor settings, TimeProvider time, ILogger<VariantExpiry> logger)
{
    // The configuration in force now (paths may change while running).
    private DirektConfiguration configuration => settings.Current;

    public const int BatchSize = 1000;

    private IReadOnlyList<ExpirePolicy> _rules => configuration.Paths.Patterns
        .Select(p => configuration.Paths.Resolve(p.ExamplePath()).Transform.Expire)
        .Where(e => e.Strategy is "ttl" or "idle" && e.Ttl is not null).ToList();

    /// <summary>True when some path lets its variants expire (the reaper has work to look for).</summary>
    public bool Enabled => _rules.Count > 0;

    /// <summary>Removes the expired variants found now; returns how many records went.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!Enabled) return 0;
        var now = time.GetUtcNow();
        // The shortest ttl of each kind bounds the candidates; each candidate is then checked against its own path's rule.
        var createdBefore = Shortest("ttl") is { } ttl ? now - ttl : DateTimeOffset.MinValue;
        var usedBefore = Shortest("idle") is { } idle ? now - idle : DateTimeOffset.MinValue;
        var candidates = await repository.FindVariantsOlderThanAsync(createdBefore, usedBefore, BatchSize, cancellationToken);
        var expired = candidates.Where(c => IsExpired(c, configuration.Paths.Resolve(c.Path).Transform.Expire, now)).ToList();
        if (expired.Count == 0) return 0;
        var removed = await repository.DeleteVariantsAsync(expired, now, cancellationToken);
        logger.LogInformation("Expired {Count} variants; their objects are queued for removal", removed);
        return removed;
    }

    public static bool IsExpired(VariantUse use, ExpirePolicy rule, DateTimeOffset now) => (rule.Strategy, rule.Ttl) switch
    {
        ("ttl", { } ttl) => use.CreatedAt + ttl <= now,
        ("idle", { } ttl) => use.LastUsed + ttl <= now,
        _ => false,
    };

    /// <summary>Records a served generated variant's use when its path expires idle variants and the last record is stale enough.</summary>
    public async Task NoteUseAsync(AssetRecord asset, VariantRecord variant, CancellationToken cancellationToken)
    {
        if (variant.IsOriginalVariant || variant.Transformation is null) return;
        var rule = configuration.Paths.Resolve(asset.Path).Transform.Expire;
        if (rule is not { Strategy: "idle", Ttl: { } ttl }) return;
        var now = time.GetUtcNow();
        var throttle = TimeSpan.FromTicks(Math.Min(ttl.Ticks / 10, TimeSpan.FromMinutes(1).Ticks));
        if (now - (variant.AccessedAt ?? variant.CreatedAt) < throttle) return;
        try
        {
            await repository.TouchVariantAsync(asset.Path, asset.EntryId, variant.Transformation, now, cancellationToken);
        }
        // A read must not fail because its use could not be noted; the variant may then expire a little early.
        catch (Storage.StorageUnavailableException e)
        {
            logger.LogWarning("Could not note the use of a variant of {AssetPath}: {Reason}", asset.Path, e.Message);
        }
    }

    private TimeSpan? Shortest(string strategy) =>
        _rules.Where(r => r.Strategy == strategy).Select(r => r.Ttl!.Value).DefaultIfEmpty().Min() is var t && t > TimeSpan.Zero ? t : null;
}
