using Direkt.Storage;
using Direkt.Storage.Records;
using Microsoft.Extensions.Logging;

namespace Direkt.Variants;

/// <summary>A path's `transform.expire` rule: `never`, `ttl` (since creation) or `idle` (since last use).</summary>
public sealed record ExpiryRule(string Strategy, TimeSpan? Ttl)
{
    public static ExpiryRule Never { get; } = new("never", null);
    public bool Expires => Strategy is "ttl" or "idle" && Ttl is not null;
}

/// <summary>Where the expiry rules come from: the rule of a path, and every rule in force (they may change while running).</summary>
public sealed record ExpiryRules(Func<string, ExpiryRule> For, Func<IReadOnlyList<ExpiryRule>> All)
{
    public static ExpiryRules None { get; } = new(_ => ExpiryRule.Never, () => []);
}

/// <summary>
/// `transform.expire` (API.md §5): generated variants of a path expire `ttl` after creation (strategy ttl) or after their last
/// use (strategy idle). The reaper removes expired records first and queues their objects in the deletion outbox; originals
/// never expire. Use is recorded coarsely (at most every tenth of the ttl, and at least once a minute) to keep reads cheap.
/// </summary>
public sealed class VariantExpiry(IAssetRepository repository, ExpiryRules rules, TimeProvider time, ILogger<VariantExpiry> logger)
{
    public const int BatchSize = 1000;

    /// <summary>True when some path lets its variants expire (the reaper has work to look for).</summary>
    public bool Enabled => rules.All().Any(r => r.Expires);

    /// <summary>Removes the expired variants found now; returns how many records went.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var all = rules.All().Where(r => r.Expires).ToList();
        if (all.Count == 0) return 0;
        var now = time.GetUtcNow();
        // The shortest ttl of each kind bounds the candidates; each candidate is then checked against its own path's rule.
        var createdBefore = Shortest(all, "ttl") is { } ttl ? now - ttl : DateTimeOffset.MinValue;
        var usedBefore = Shortest(all, "idle") is { } idle ? now - idle : DateTimeOffset.MinValue;
        var candidates = await repository.FindVariantsOlderThanAsync(createdBefore, usedBefore, BatchSize, cancellationToken);
        var expired = candidates.Where(c => IsExpired(c, rules.For(c.Path), now)).ToList();
        if (expired.Count == 0) return 0;
        var removed = await repository.DeleteVariantsAsync(expired, now, cancellationToken);
        logger.LogInformation("Expired {Count} variants; their objects are queued for removal", removed);
        return removed;
    }

    public static bool IsExpired(VariantUse use, ExpiryRule rule, DateTimeOffset now) => (rule.Strategy, rule.Ttl) switch
    {
        ("ttl", { } ttl) => use.CreatedAt + ttl <= now,
        ("idle", { } ttl) => use.LastUsed + ttl <= now,
        _ => false,
    };

    /// <summary>Records a served generated variant's use when its path expires idle variants and the last record is stale enough.</summary>
    public async Task NoteUseAsync(AssetRecord asset, VariantRecord variant, CancellationToken cancellationToken)
    {
        if (variant.IsOriginalVariant || variant.Transformation is null) return;
        if (rules.For(asset.Path) is not { Strategy: "idle", Ttl: { } ttl }) return;
        var now = time.GetUtcNow();
        var throttle = TimeSpan.FromTicks(Math.Min(ttl.Ticks / 10, TimeSpan.FromMinutes(1).Ticks));
        if (now - (variant.AccessedAt ?? variant.CreatedAt) < throttle) return;
        try
        {
            await repository.TouchVariantAsync(asset.Path, asset.EntryId, variant.Transformation, now, cancellationToken);
        }
        // A read must not fail because its use could not be noted; the variant may then expire a little early.
        catch (StorageUnavailableException e)
        {
            logger.LogWarning("Could not note the use of a variant of {AssetPath}: {Reason}", asset.Path, e.Message);
        }
    }

    private static TimeSpan? Shortest(IEnumerable<ExpiryRule> rules, string strategy) =>
        rules.Where(r => r.Strategy == strategy).Select(r => r.Ttl!.Value).DefaultIfEmpty().Min() is var t && t > TimeSpan.Zero ? t : null;
}
