using Direkt.Storage;
using Direkt.Storage.Records;
using Microsoft.Extensions.Logging;

namespace Direkt.Variants;

/// <summary>How a generated variant expires: never, a ttl after creation, or a ttl after its last use.</summary>
public enum ExpiryStrategy { Never, Ttl, Idle }

/// <summary>A path's `transform.expire` rule.</summary>
public sealed record ExpiryRule(ExpiryStrategy Strategy, TimeSpan? Ttl)
{
    public static ExpiryRule Never { get; } = new(ExpiryStrategy.Never, null);
    public bool Expires => Strategy is ExpiryStrategy.Ttl or ExpiryStrategy.Idle && Ttl is not null;
}

/// <summary>Where the expiry rules come from: the rule of a path, and every rule in force (they may change while running).</summary>
public sealed record ExpiryRules(Func<string, ExpiryRule> For, Func<IReadOnlyList<ExpiryRule>> All)
{
    public static ExpiryRules None { get; } = new(_ => ExpiryRule.Never, () => []);
}

/// <summary>
/// `transform.expire` (API.md §5): generated variants of a path expire `ttl` after creation (strategy ttl) or after their last
/// use (strategy idle). The reaper removes expired records first and queues their objects in the deletion outbox; originals
/// never expire.
/// <para>
/// Candidates are paged through in least-recently-used order, continuing where the previous run stopped, and each is judged
/// by its own path's rule: variants whose path keeps them (never, or a longer ttl) cannot fill every page and starve paths
/// whose variants expire. Uses are noted in memory (<see cref="VariantUses"/>) and written in one transaction at the start of
/// each run, never one write per request.
/// </para>
/// </summary>
public sealed class VariantExpiry(IVariantUseRecords records, ExpiryRules rules, LookupCache lookups, TimeProvider time, ILogger<VariantExpiry> logger)
{
    public const int BatchSize = 1000;

    /// <summary>How many pages of candidates one run looks at, at most (the next run goes on from there).</summary>
    public const int PagesPerRun = 10;

    private readonly VariantUses _uses = new();
    private readonly SemaphoreSlim _running = new(1, 1);
    private VariantUse? _resumeAfter;

    /// <summary>True when some path lets its variants expire (the reaper has work to look for).</summary>
    public bool Enabled => rules.All().Any(r => r.Expires);

    /// <summary>Uses noted and not yet written.</summary>
    public int PendingUses => _uses.Count;

    /// <summary>Writes the noted uses, then removes the expired variants found now; returns how many records went.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _running.WaitAsync(cancellationToken);
        try
        {
            await FlushUsesAsync(cancellationToken);
            return await ReapAsync(cancellationToken);
        }
        finally
        {
            _running.Release();
        }
    }

    private async Task<int> ReapAsync(CancellationToken cancellationToken)
    {
        var all = rules.All().Where(r => r.Expires).ToList();
        if (all.Count == 0) return 0;
        var now = time.GetUtcNow();
        // The shortest ttl of each kind bounds the candidates; each candidate is then checked against its own path's rule.
        var createdBefore = Shortest(all, ExpiryStrategy.Ttl) is { } ttl ? now - ttl : DateTimeOffset.MinValue;
        var usedBefore = Shortest(all, ExpiryStrategy.Idle) is { } idle ? now - idle : DateTimeOffset.MinValue;
        var removed = 0;
        for (var page = 0; page < PagesPerRun; page++)
        {
            var candidates = await records.FindVariantsOlderThanAsync(createdBefore, usedBefore, _resumeAfter, BatchSize, cancellationToken);
            _resumeAfter = candidates.Count == BatchSize ? candidates[^1] : null; // a short page: the next run starts over
            var expired = candidates.Where(c => IsExpired(c, rules.For(c.Path), now)).ToList();
            if (expired.Count > 0)
            {
                // Objects outlive every instance's cached lookups of them (LookupCache.Ttl), which may still serve them meanwhile.
                removed += await records.DeleteVariantsAsync(expired, now + lookups.Ttl, cancellationToken);
                foreach (var path in expired.Select(e => e.Path).Distinct()) lookups.Forget(path);
            }
            if (_resumeAfter is null) break;
        }
        if (removed > 0) logger.LogInformation("Expired {Count} variants; their objects are queued for removal", removed);
        return removed;
    }

    public static bool IsExpired(VariantUse use, ExpiryRule rule, DateTimeOffset now) => (rule.Strategy, rule.Ttl) switch
    {
        (ExpiryStrategy.Ttl, { } ttl) => use.CreatedAt + ttl <= now,
        (ExpiryStrategy.Idle, { } ttl) => use.LastUsed + ttl <= now,
        _ => false,
    };

    /// <summary>
    /// Notes that a generated variant was served, when its path expires idle variants and its recorded use is stale enough (at
    /// most every tenth of the ttl, and at least once a minute). Only memory is touched; the next run writes it.
    /// </summary>
    public void NoteUse(AssetRecord asset, VariantRecord variant)
    {
        if (variant.IsOriginalVariant || variant.Transformation is null) return;
        if (rules.For(asset.Path) is not { Strategy: ExpiryStrategy.Idle, Ttl: { } ttl }) return;
        var now = time.GetUtcNow();
        var throttle = TimeSpan.FromTicks(Math.Min(ttl.Ticks / 10, TimeSpan.FromMinutes(1).Ticks));
        if (now - (variant.AccessedAt ?? variant.CreatedAt) < throttle) return;
        _uses.Note(new VariantTouch(asset.Path, asset.EntryId, variant.Transformation, now));
    }

    /// <summary>Writes the noted uses in one transaction; they are kept for the next run when the database is unavailable.</summary>
    public async Task FlushUsesAsync(CancellationToken cancellationToken)
    {
        var batch = _uses.Take();
        if (batch.Count == 0) return;
        try
        {
            await records.RecordUsesAsync(batch, cancellationToken);
        }
        // A read must never fail because its use could not be noted; noted again, they are written by a later run.
        catch (StorageUnavailableException e)
        {
            foreach (var use in batch) _uses.Note(use);
            logger.LogWarning("Could not record the use of {Count} variants: {Reason}", batch.Count, e.Message);
        }
    }

    private static TimeSpan? Shortest(IEnumerable<ExpiryRule> rules, ExpiryStrategy strategy) =>
        rules.Where(r => r.Strategy == strategy).Select(r => r.Ttl!.Value).DefaultIfEmpty().Min() is var t && t > TimeSpan.Zero ? t : null;
}
