using System.Collections.Concurrent;
using Direkt.Imaging.Transformations;
using Direkt.Storage.Records;

namespace Direkt.Variants;

/// <summary>
/// Finds a stored variant, or generates it once: concurrent requests for the same asset and canonical transformation share
/// one generation. The generation runs under its own deadline, not under the first client's request, so a client that
/// leaves does not fail the others waiting for the same variant.
/// </summary>
public sealed class VariantCache(VariantGenerator generator, VariantCounters counters)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<VariantRecord>>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>How long one generation may run (variant-generation.job-timeout).</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public async Task<(VariantRecord Variant, CacheOutcome Outcome)> GetOrCreateAsync(
        AssetRecord asset, Transformation transformation, CancellationToken cancellationToken)
    {
        var key = transformation.Key;
        if (asset.Variants.FirstOrDefault(v => !v.IsOriginalVariant && v.Transformation == key) is { } stored)
        {
            counters.Count(CacheOutcome.Hit);
            return (stored, CacheOutcome.Hit);
        }

        var flightKey = $"{asset.Path}\n{asset.EntryId}\n{key}";
        var created = new Lazy<Task<VariantRecord>>(() => GenerateAsync(flightKey, asset, transformation));
        var flight = _inFlight.GetOrAdd(flightKey, created);
        var outcome = ReferenceEquals(flight, created) ? CacheOutcome.Miss : CacheOutcome.Collapsed;
        counters.Count(outcome);
        var variant = await flight.Value.WaitAsync(cancellationToken);
        return (variant, outcome);
    }

    private async Task<VariantRecord> GenerateAsync(string flightKey, AssetRecord asset, Transformation transformation)
    {
        try
        {
            using var deadline = new CancellationTokenSource(JobTimeout);
            try
            {
                return await generator.GenerateAsync(asset, transformation, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new VariantTimeoutException(JobTimeout);
            }
        }
        finally
        {
            _inFlight.TryRemove(flightKey, out _);
        }
    }
}

/// <summary>A generation ran past variant-generation.job-timeout and was cancelled.</summary>
public sealed class VariantTimeoutException(TimeSpan limit)
    : Exception($"Generating the variant took longer than {(limit.TotalSeconds >= 1 ? $"{limit.TotalSeconds:0.#} s" : $"{limit.TotalMilliseconds:0} ms")} (variant-generation.job-timeout) and was cancelled.");
