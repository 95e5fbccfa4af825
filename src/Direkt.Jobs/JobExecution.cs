using Direkt.Scheduling;
using Direkt.Storage;
using Direkt.Storage.Records.Jobs;
using Microsoft.Extensions.Logging;

namespace Direkt.Jobs;

/// <summary>
/// Works one claimed job: walks the matching assets in (path, entryId) order from the cursor, starts each asset's items
/// (<see cref="JobItems"/>), applies finished assets strictly in order, and saves counts and cursor — at least every
/// <see cref="JobSettings.SaveInterval"/> (which also renews the lease and reads a cancel stored by another instance), and
/// always when it stops. Stopping feeding (SIGTERM) lets every started asset finish; abandoning (past shutdown-grace) withdraws
/// what has not run, and the cursor stays before it.
/// </summary>
internal sealed class JobExecution(IAssetPages pages, IJobRecords records, JobItems items, WorkerPool pool, JobCounters counters,
    JobSettings settings, TimeProvider time, ILogger<JobExecution> logger)
{
    public async Task RunAsync(StoredJob claimed, CancellationToken stopFeeding, CancellationToken cancel, CancellationToken abandon)
    {
        var progress = new JobProgress(claimed);
        using var stopped = CancellationTokenSource.CreateLinkedTokenSource(cancel); // cancelled here or elsewhere, or lease lost
        using var work = CancellationTokenSource.CreateLinkedTokenSource(stopped.Token, abandon);
        using var feed = CancellationTokenSource.CreateLinkedTokenSource(work.Token, stopFeeding);
        var saving = new SemaphoreSlim(1, 1);
        var lastSave = time.GetTimestamp();
        var leaseLost = false;

        async Task SaveAsync(bool release = false)
        {
            await saving.WaitAsync(CancellationToken.None);
            try
            {
                var now = time.GetUtcNow();
                // Released (a stop before the end): the lease is over at once, so a restarted or other instance resumes now.
                var state = await records.SaveJobAsync(progress.Current, release ? now.AddMilliseconds(-1) : now + settings.Lease, CancellationToken.None);
                lastSave = time.GetTimestamp();
                if (state is null)
                {
                    leaseLost = true;
                    logger.LogWarning("Job {Id}: another instance took it over (the lease expired); this instance stops working it", claimed.Id);
                    await stopped.CancelAsync();
                }
                else if (state == JobStates.Cancelled && !stopped.IsCancellationRequested) await stopped.CancelAsync();
            }
            catch (StorageUnavailableException e)
            {
                logger.LogWarning("Job {Id}: progress not saved, tried again soon: {Reason}", claimed.Id, e.Message);
            }
            finally
            {
                saving.Release();
            }
        }

        // The lease is renewed even while one slow asset holds the walk.
        using var renewal = new CancellationTokenSource();
        var renewing = Task.Run(async () =>
        {
            while (!renewal.IsCancellationRequested)
            {
                try { await Task.Delay(settings.Lease / 3, renewal.Token); }
                catch (OperationCanceledException) { return; }
                await SaveAsync();
            }
        });

        logger.LogInformation("Job {Id} ({Kind} {Path}) running{Resumed}", claimed.Id, claimed.Kind, claimed.Path,
            claimed.Cursor is { } c ? $", resumed after {c.Path} entry {c.EntryId}" : "");
        var exhausted = false;
        try
        {
            var scope = JobPathPattern.Parse(claimed.Path);
            var specs = JobSpec.Of(claimed);
            if (claimed.Cursor is null && claimed.Done + claimed.Skipped + claimed.Failed == 0)
            {
                var tally = await pages.TallyAsync(scope, feed.Token);
                progress.SetTotal(claimed.Kind switch
                {
                    JobKinds.Purge => tally.Assets,
                    JobKinds.Regenerate when specs.Count == 0 => tally.Variants,
                    _ => tally.Assets * specs.Count,
                });
            }

            var workers = Math.Max(1, pool.Workers);
            using var slots = new SemaphoreSlim(workers);
            var pending = new Queue<Task<AssetResult>>();
            var after = claimed.Cursor;
            var blocked = false;

            async Task ApplyAsync(bool waitForHead, bool waitForAll)
            {
                while (!blocked && pending.Count > 0 && (pending.Peek().IsCompleted || waitForHead || waitForAll))
                {
                    var result = await pending.Dequeue();
                    waitForHead = false;
                    if (result.Incomplete)
                    {
                        blocked = true; // the cursor stays before it; assets after it run again on resume
                        break;
                    }
                    progress.Apply(result);
                    foreach (var outcome in result.Outcomes) counters.Item(claimed.Kind, outcome);
                }
                if (time.GetElapsedTime(lastSave) >= settings.SaveInterval) await SaveAsync();
            }

            while (!feed.IsCancellationRequested && !blocked)
            {
                var page = await pages.PageAsync(scope, after, settings.PageSize, feed.Token);
                if (page.Count == 0)
                {
                    exhausted = true;
                    break;
                }
                foreach (var asset in page)
                {
                    if (feed.IsCancellationRequested || blocked) break;
                    pending.Enqueue(items.RunAsync(progress.Current, specs, asset, slots, work.Token));
                    after = new AssetPosition(asset.Path, asset.EntryId);
                    // Started assets are bounded: their items wait for a slot (one per worker), and the walk for the oldest asset.
                    await ApplyAsync(waitForHead: pending.Count > 2 * workers, waitForAll: false);
                }
            }
            await ApplyAsync(waitForHead: false, waitForAll: true);
            exhausted &= !blocked && !work.IsCancellationRequested;
        }
        catch (OperationCanceledException) when (feed.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Job {Id} failed", claimed.Id);
            progress.Finish(JobStates.Failed, time.GetUtcNow());
        }
        finally
        {
            await renewal.CancelAsync();
            await renewing;
        }

        if (leaseLost) return;
        var finished = progress.Current.State == JobStates.Failed;
        if (!finished && (exhausted || cancel.IsCancellationRequested || stopped.IsCancellationRequested))
        {
            progress.Finish(exhausted ? JobStates.Done : JobStates.Cancelled, time.GetUtcNow());
            finished = true;
        }
        await SaveAsync(release: !finished);
        var job = progress.Current;
        logger.LogInformation("Job {Id} {State}: {Done} done, {Skipped} skipped, {Failed} failed of {Total}", job.Id,
            finished ? job.State : "stopped (resumes from its cursor)", job.Done, job.Skipped, job.Failed, job.Total);
    }
}
