using System.Collections.Concurrent;
using System.Threading.Channels;
using Direkt.Storage;
using Direkt.Storage.Records.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Direkt.Jobs;

/// <summary>
/// This instance's job runner: claims one job at a time under a lease (<see cref="IJobRecords.ClaimJobAsync"/>) and works it
/// (<see cref="JobExecution"/>). Woken at once by jobs created here, it looks for jobs of other instances (and expired leases)
/// every poll interval. On SIGTERM it stops feeding items, lets the started ones finish within shutdown-grace (then withdraws
/// the rest), saves the cursor and releases the lease. It stops before the worker pool does (registered after it).
/// </summary>
public sealed class JobRunner : BackgroundService
{
    private readonly IJobRecords _records;
    private readonly JobExecution _execution;
    private readonly JobSettings _settings;
    private readonly JobCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger<JobRunner> _logger;
    private readonly Channel<bool> _wakeups = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopFeeding = new();
    private readonly CancellationTokenSource _abandon = new();

    internal JobRunner(IJobRecords records, JobExecution execution, JobSettings settings, JobCounters counters, TimeProvider time,
        ILogger<JobRunner> logger, IHostApplicationLifetime lifetime)
    {
        (_records, _execution, _settings, _counters, _time, _logger) = (records, execution, settings, counters, time, logger);
        // SIGTERM: stop feeding at once, before the host gets round to stopping this service.
        lifetime.ApplicationStopping.Register(() => _stopFeeding.Cancel());
    }

    /// <summary>This instance's name in the jobs' owner column (unique per process and server).</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A job was created here: look now instead of at the next poll.</summary>
    public void Wake() => _wakeups.Writer.TryWrite(true);

    /// <summary>A job was cancelled here: if this instance works it, it stops feeding at once.</summary>
    public void Cancel(string id)
    {
        if (_running.TryGetValue(id, out var cancel)) cancel.Cancel();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!_stopFeeding.IsCancellationRequested)
        {
            StoredJob? job = null;
            try
            {
                _counters.SeeStates((await _records.ListJobsAsync(new JobListing(null, 1, null), _stopFeeding.Token)).Counts);
                var now = _time.GetUtcNow();
                job = await _records.ClaimJobAsync(Owner, now, now + _settings.Lease, _stopFeeding.Token);
            }
            catch (StorageUnavailableException e)
            {
                _logger.LogWarning("Jobs cannot be claimed right now: {Reason}", e.Message);
            }
            catch (OperationCanceledException) when (_stopFeeding.IsCancellationRequested)
            {
                return;
            }
            if (job is not null)
            {
                using var cancel = new CancellationTokenSource();
                _running[job.Id] = cancel;
                try
                {
                    await _execution.RunAsync(job, _stopFeeding.Token, cancel.Token, _abandon.Token);
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "Job {Id} stopped unexpectedly", job.Id);
                }
                finally
                {
                    _running.TryRemove(job.Id, out _);
                }
                continue;
            }
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stopFeeding.Token);
                wait.CancelAfter(_settings.PollInterval);
                await _wakeups.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopFeeding.CancelAsync();
        if (ExecuteTask is { } running && await Task.WhenAny(running, Task.Delay(_settings.ShutdownGrace, CancellationToken.None)) != running)
        {
            _logger.LogWarning("Job items still running after shutdown-grace are withdrawn; they run again on resume");
            await _abandon.CancelAsync();
        }
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _stopFeeding.Dispose();
        _abandon.Dispose();
        base.Dispose();
    }
}
