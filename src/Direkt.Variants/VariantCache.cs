using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Direkt.Imaging.Transformations;
using Direkt.Scheduling;
using Direkt.Storage.Records;
using Microsoft.Extensions.Logging;

namespace Direkt.Variants;

/// <summary>
/// Finds a stored variant (a point lookup by asset and canonical key, through <see cref="LookupCache"/>; never a read of
/// all the asset's variants), or generates it once: concurrent requests for the same asset and canonical transformation share
/// one generation. On-demand generations are synchronous work in the pool and belong to no single client: they go on while
/// any client still waits, are skipped if every client left before they started, and cancelled if they leave while they run.
/// Eager generations are asynchronous, best-effort work; a client asking for one that has not started gets it generated on
/// demand at once (the eager job is discarded), and one that has started is joined.
/// </summary>
public sealed class VariantCache(
    VariantGenerator generator, IAssetRecords records, LookupCache lookups, FailedVariants failures, WorkerPool pool, VariantCounters counters,
    ILogger<VariantCache> logger)
{
    private readonly ConcurrentDictionary<string, VariantFlight> _inFlight = new(StringComparer.Ordinal);

    /// <summary>
    /// The stored variant, or the one generated for (or joined by) this request; <c>Timings</c> says where the generation spent its
    /// time when this request started it (null for hits and joined generations).
    /// </summary>
    public async Task<(VariantRecord Variant, CacheOutcome Outcome, GenerationTimings? Timings)> GetOrCreateAsync(
        AssetRecord asset, Transformation transformation, CancellationToken cancellationToken)
    {
        var key = transformation.Key;
        if (await lookups.GetVariantAsync(asset.Path, asset.EntryId, key,
                token => records.FindVariantAsync(asset.Path, asset.EntryId, key, token), cancellationToken) is { } stored)
        {
            counters.Count(CacheOutcome.Hit);
            return (stored, CacheOutcome.Hit, null);
        }

        var flightKey = FlightKey(asset, key);
        // A generation that failed lately fails again at once, with the same problem, without taking a worker.
        if (failures.Find(flightKey) is { } failed) ExceptionDispatchInfo.Capture(failed).Throw();
        for (var attempt = 0; ; attempt++)
        {
            var created = new VariantFlight(eager: false);
            var flight = _inFlight.GetOrAdd(flightKey, created);
            if (flight.Eager && flight.TryDiscard())
            {
                // Queued but not started: serve it on demand now instead of waiting behind the eager backlog.
                counters.EagerDiscard();
                _inFlight.TryRemove(new KeyValuePair<string, VariantFlight>(flightKey, flight));
                continue;
            }
            if (!flight.Join())
            {
                // Every client of that flight just left and it is being cancelled; start afresh.
                _inFlight.TryRemove(new KeyValuePair<string, VariantFlight>(flightKey, flight));
                continue;
            }
            var outcome = ReferenceEquals(flight, created) ? CacheOutcome.Miss : CacheOutcome.Collapsed;
            var timings = outcome == CacheOutcome.Miss ? new GenerationTimings() : null;
            if (outcome == CacheOutcome.Miss) flight.Start(() => RunOnDemandAsync(flightKey, flight, asset, transformation, timings!));
            counters.Count(outcome);
            try
            {
                return (await flight.Result.WaitAsync(cancellationToken), outcome, timings);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && attempt == 0)
            {
                // The flight was abandoned by its other clients (or discarded) just as this one joined: try once more.
            }
            finally
            {
                flight.Leave();
            }
        }
    }

    /// <summary>
    /// Queues an eager generation of a newly stored asset; never waits. False when the record already lists it, it is in flight,
    /// or the queue is full (a variant recorded meanwhile by another writer wins at <see cref="IAssetRecords.AddVariantAsync"/>).
    /// </summary>
    public bool QueueEager(AssetRecord asset, Transformation transformation)
    {
        var key = transformation.Key;
        if (asset.Variants.Any(v => v.Transformation == key)) return false;
        var flightKey = FlightKey(asset, key);
        var flight = new VariantFlight(eager: true);
        if (!_inFlight.TryAdd(flightKey, flight)) return false;

        VariantRecord? result = null;
        var item = new WorkItem("eager", async token =>
        {
            if (!flight.MarkStarted()) throw new OperationCanceledException(token); // discarded in the meantime
            result = await generator.GenerateEagerAsync(asset, transformation, token);
        }, flight.Abandoned);
        flight.Start(async () =>
        {
            try
            {
                await item.Completion;
                // Skipped past `limits.max-variants-per-asset`: a client that joined starts its own (unstored) generation.
                return result ?? throw new OperationCanceledException("eager variant skipped: the asset has no room for another stored variant");
            }
            finally
            {
                _inFlight.TryRemove(new KeyValuePair<string, VariantFlight>(flightKey, flight));
            }
        });
        _ = flight.Result.ContinueWith(t =>
        {
            if (t.IsFaulted) logger.LogWarning(t.Exception!.GetBaseException(), "Eager variant {Transformation} of {AssetPath} entry {EntryId} failed",
                key, asset.Path, asset.EntryId);
        }, TaskScheduler.Default);

        if (pool.TryQueueAsynchronous(item))
        {
            counters.EagerQueue();
            return true;
        }
        counters.EagerDrop();
        logger.LogWarning("Asynchronous queue full: eager variant {Transformation} of {AssetPath} entry {EntryId} dropped",
            key, asset.Path, asset.EntryId);
        flight.TryDiscard();
        _inFlight.TryRemove(new KeyValuePair<string, VariantFlight>(flightKey, flight));
        return false;
    }

    /// <summary>
    /// One background job item: the stored variant (<see cref="CacheOutcome.Hit"/>: nothing to do), or a generation at
    /// asynchronous priority that is never dropped (the call waits for a place in the queue). It collapses with other
    /// generations of the same variant: it joins one in flight (<see cref="CacheOutcome.Collapsed"/>), and a client asking for
    /// it while it still waits in the queue takes it over on demand (the item then joins that one). Cancelling
    /// <paramref name="cancellationToken"/> withdraws the item if it has not started; once running it finishes. An asset that
    /// has `limits.max-variants-per-asset` stored variants gets nothing rendered: <see cref="VariantLimitReachedException"/>.
    /// </summary>
    public async Task<(VariantRecord Variant, CacheOutcome Outcome)> GenerateInBackgroundAsync(
        AssetRecord asset, Transformation transformation, CancellationToken cancellationToken)
    {
        var key = transformation.Key;
        var flightKey = FlightKey(asset, key);
        for (var attempt = 0; ; attempt++)
        {
            // Looked up in the records, not the lookup cache: a job's thousands of items would only crowd out the hot entries.
            if (await records.FindVariantAsync(asset.Path, asset.EntryId, key, cancellationToken) is { } stored) return (stored, CacheOutcome.Hit);
            if (failures.Find(flightKey) is { } failed) ExceptionDispatchInfo.Capture(failed).Throw();
            // A job's variant is made to be stored: on a full asset it would be rendered only to be thrown away.
            if (attempt == 0 && !await generator.HasRoomAsync(asset, cancellationToken))
                throw new VariantLimitReachedException(
                    $"the asset already has {generator.MaxVariantsPerAsset} stored variants (limits.max-variants-per-asset)");
            var created = new VariantFlight(eager: true);
            var flight = _inFlight.GetOrAdd(flightKey, created);
            if (!ReferenceEquals(flight, created))
            {
                if (!flight.Join())
                {
                    _inFlight.TryRemove(new KeyValuePair<string, VariantFlight>(flightKey, flight));
                    continue;
                }
                try
                {
                    return (await flight.Result.WaitAsync(cancellationToken), CacheOutcome.Collapsed);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && attempt < 3)
                {
                    continue; // that flight was discarded or abandoned: look again
                }
                finally
                {
                    flight.Leave();
                }
            }

            VariantRecord? result = null;
            var item = new WorkItem("job", async token =>
            {
                if (!flight.MarkStarted()) throw new OperationCanceledException(token); // taken over on demand, or withdrawn
                result = await generator.GenerateAsync(asset, transformation, token);
            }, flight.Abandoned);
            flight.Start(async () =>
            {
                try
                {
                    await item.Completion;
                    return result!;
                }
                finally
                {
                    _inFlight.TryRemove(new KeyValuePair<string, VariantFlight>(flightKey, flight));
                }
            });
            try
            {
                await pool.QueueAsynchronousAsync(item, cancellationToken);
            }
            catch
            {
                flight.TryDiscard();
                _inFlight.TryRemove(new KeyValuePair<string, VariantFlight>(flightKey, flight));
                throw;
            }
            using var withdraw = cancellationToken.Register(() => flight.TryDiscard());
            try
            {
                return (await flight.Result, CacheOutcome.Miss);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && attempt < 3)
            {
                // A client took the variant over on demand before a worker reached this item: wait for theirs.
            }
        }
    }

    private async Task<VariantRecord> RunOnDemandAsync(string flightKey, VariantFlight flight, AssetRecord asset, Transformation transformation,
        GenerationTimings timings)
    {
        try
        {
            VariantRecord? result = null;
            var queued = Stopwatch.GetTimestamp();
            await pool.RunSynchronousAsync(new WorkItem("on-demand", async token =>
            {
                timings.QueueWait = Stopwatch.GetElapsedTime(queued);
                result = await generator.GenerateAsync(asset, transformation, token, timings);
            }, flight.Abandoned), CancellationToken.None);
            return result!;
        }
        catch (Exception e)
        {
            failures.Remember(flightKey, e); // only lasting failures are kept (FailedVariants)
            throw;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, VariantFlight>(flightKey, flight));
        }
    }

    private static string FlightKey(AssetRecord asset, string transformationKey) => $"{asset.Path}\n{asset.EntryId}\n{transformationKey}";
}
