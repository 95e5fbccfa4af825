using Direkt.Assets;
using Direkt.Imaging.Transformations;
using Direkt.Scheduling;
using Direkt.Storage.Records;
using Direkt.Storage.Records.Jobs;
using Direkt.Variants;

namespace Direkt.Jobs;

/// <summary>
/// The items of one asset, per kind: generations through the variant cache at asynchronous priority (at most one item per
/// worker queued or running, <paramref name="slots"/>), and purges of its generated variants (records first, objects through
/// the deletion outbox; originals never).
/// </summary>
internal sealed class JobItems(AssetVariants variants, VariantCache cache, IVariantUseRecords useRecords, LookupCache lookups, TimeProvider time)
{
    public async Task<AssetResult> RunAsync(StoredJob job, IReadOnlyList<JobSpec> specs, AssetRecord asset, SemaphoreSlim slots,
        CancellationToken cancellationToken)
    {
        var position = new AssetPosition(asset.Path, asset.EntryId);
        var generated = asset.Variants.Where(v => !v.IsOriginalVariant && v.Transformation is not null).ToList();
        try
        {
            switch (job.Kind)
            {
                case JobKinds.Purge:
                {
                    var bytes = generated.Sum(v => v.Attributes.Bytes);
                    var removed = job.DryRun ? generated.Count : await PurgeAsync(asset, generated, cancellationToken);
                    return new AssetResult(position, [removed > 0 ? JobItemOutcome.Done : JobItemOutcome.Skipped], [], removed,
                        removed == generated.Count ? bytes : 0);
                }
                case JobKinds.Regenerate:
                {
                    // What existed is remembered before the purge: regenerate without profiles makes exactly those keys again.
                    var work = specs.Count > 0
                        ? specs.Select(s => Plan(asset, s)).ToList()
                        : generated.Select(v => AssetVariants.FromKey(v.Transformation!) is { } t
                            ? new Planned(v.Transformation!, t, null)
                            : new Planned(v.Transformation!, null, "the stored key no longer parses")).ToList();
                    var bytes = generated.Sum(v => v.Attributes.Bytes);
                    if (job.DryRun)
                        return new AssetResult(position, work.Select(_ => JobItemOutcome.Skipped).ToList(), [], generated.Count, bytes);
                    var removed = await PurgeAsync(asset, generated, cancellationToken);
                    var result = await GenerateAllAsync(asset, position, work, slots, cancellationToken);
                    return result with { PurgedVariants = removed, PurgedBytes = removed == generated.Count ? bytes : 0 };
                }
                default:
                    return await GenerateAllAsync(asset, position, specs.Select(s => Plan(asset, s)).ToList(), slots, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            return new AssetResult(position, [], [], 0, 0) { Incomplete = true };
        }
        catch (SchedulerOverloadedException)
        {
            return new AssetResult(position, [], [], 0, 0) { Incomplete = true };
        }
    }

    private sealed record Planned(string Text, Transformation? Transformation, string? Problem, bool Original = false);

    private Planned Plan(AssetRecord asset, JobSpec spec)
    {
        try
        {
            return variants.ForJob(asset, spec.Parameters) is { } t ? new Planned(spec.Text, t, null) : new Planned(spec.Text, null, null, Original: true);
        }
        catch (AssetException e)
        {
            return new Planned(spec.Text, null, e.Errors is { Count: > 0 } errors ? $"{e.Message} {string.Join("; ", errors.SelectMany(x => x.Value))}" : e.Message);
        }
    }

    private async Task<AssetResult> GenerateAllAsync(AssetRecord asset, AssetPosition position, IReadOnlyList<Planned> work, SemaphoreSlim slots,
        CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(work.Select(w => GenerateAsync(asset, w, slots, cancellationToken)));
        if (results.Any(r => r.Outcome is null)) return new AssetResult(position, [], [], 0, 0) { Incomplete = true };
        return new AssetResult(position, results.Select(r => r.Outcome!.Value).ToList(),
            results.Where(r => r.Error is not null).Select(r => r.Error!).ToList(), 0, 0);
    }

    // Null outcome: withdrawn before it finished (cancelled, or the pool stopped taking work).
    private async Task<(JobItemOutcome? Outcome, JobError? Error)> GenerateAsync(AssetRecord asset, Planned planned, SemaphoreSlim slots,
        CancellationToken cancellationToken)
    {
        if (planned.Original) return (JobItemOutcome.Skipped, null); // a GET serves the original itself
        if (planned.Transformation is null) return (JobItemOutcome.Failed, new JobError(asset.Path, asset.EntryId, planned.Text, planned.Problem!));
        try
        {
            await slots.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return (null, null);
        }
        try
        {
            var (_, outcome) = await cache.GenerateInBackgroundAsync(asset, planned.Transformation, cancellationToken);
            return (outcome == CacheOutcome.Hit ? JobItemOutcome.Skipped : JobItemOutcome.Done, null);
        }
        catch (Exception e) when (e is OperationCanceledException or SchedulerOverloadedException)
        {
            return (null, null);
        }
        catch (Exception e)
        {
            return (JobItemOutcome.Failed, new JobError(asset.Path, asset.EntryId, planned.Transformation.Key, e.Message));
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<long> PurgeAsync(AssetRecord asset, IReadOnlyList<VariantRecord> generated, CancellationToken cancellationToken)
    {
        if (generated.Count == 0) return 0;
        var uses = generated.Select(v => new VariantUse(asset.Path, asset.EntryId, v.Transformation!, v.CreatedAt, v.AccessedAt)).ToList();
        // Objects outlive every instance's cached lookups of them (LookupCache.Ttl), which may still serve them meanwhile.
        var removed = await useRecords.DeleteVariantsAsync(uses, time.GetUtcNow() + lookups.Ttl, cancellationToken);
        lookups.Forget(asset.Path);
        return removed;
    }
}
