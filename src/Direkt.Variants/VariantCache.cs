using System.Collections.Concurrent;
using Direkt.Imaging.Transformations;
using Direkt.Scheduling;
using Direkt.Storage.Records;

namespace Direkt.Variants;

/// <summary>
/// Finds a stored variant, or generates it once: concurrent requests for the same asset and canonical transformation share
/// one generation, which runs as synchronous work in the worker pool. The generation belongs to no single client: it goes
/// on while any client still waits, is skipped if every client left before it started, and cancelled if they leave while
/// it runs.
/// </summary>
public sealed class VariantCache(VariantGenerator generator, WorkerPool pool, VariantCounters counters)
{
    private readonly ConcurrentDictionary<string, Flight> _inFlight = new(StringComparer.Ordinal);

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
        for (var attempt = 0; ; attempt++)
        {
            var created = new Flight();
            var flight = _inFlight.GetOrAdd(flightKey, created);
            if (!flight.Join())
            {
                // Every client of that flight just left and it is being cancelled; start afresh.
                _inFlight.TryRemove(new KeyValuePair<string, Flight>(flightKey, flight));
                continue;
            }
            var outcome = ReferenceEquals(flight, created) ? CacheOutcome.Miss : CacheOutcome.Collapsed;
            if (outcome == CacheOutcome.Miss) flight.Start(() => RunAsync(flightKey, flight, asset, transformation));
            counters.Count(outcome);
            try
            {
                return (await flight.Result.WaitAsync(cancellationToken), outcome);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && attempt == 0)
            {
                // The flight was abandoned by its other clients just as this one joined: try once more.
            }
            finally
            {
                flight.Leave();
            }
        }
    }

    private async Task<VariantRecord> RunAsync(string flightKey, Flight flight, AssetRecord asset, Transformation transformation)
    {
        try
        {
            VariantRecord? result = null;
            await pool.RunSynchronousAsync(new WorkItem("on-demand",
                async token => result = await generator.GenerateAsync(asset, transformation, token), flight.Abandoned), CancellationToken.None);
            return result!;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Flight>(flightKey, flight));
        }
    }

    /// <summary>One generation and the clients waiting for it.</summary>
    private sealed class Flight
    {
        private readonly CancellationTokenSource _abandoned = new();
        private readonly TaskCompletionSource<Task<VariantRecord>> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _waiters;

        public CancellationToken Abandoned => _abandoned.Token;
        public Task<VariantRecord> Result => _started.Task.Unwrap();

        public void Start(Func<Task<VariantRecord>> run) => _started.TrySetResult(run());

        public bool Join()
        {
            lock (_abandoned)
            {
                if (_abandoned.IsCancellationRequested) return false;
                _waiters++;
                return true;
            }
        }

        public void Leave()
        {
            lock (_abandoned)
            {
                if (--_waiters == 0 && !Result.IsCompleted) _abandoned.Cancel();
            }
        }
    }
}
