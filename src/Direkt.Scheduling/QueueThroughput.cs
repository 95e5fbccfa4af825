namespace Direkt.Scheduling;

/// <summary>
/// Jobs completed per queue (since start, and per second over the last <see cref="Window"/>), counted from the pool's
/// <see cref="WorkerPool.JobFinished"/> events. Failed and skipped jobs are not throughput.
/// </summary>
public sealed class QueueThroughput
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly SlidingRate _synchronous;
    private readonly SlidingRate _asynchronous;

    public QueueThroughput(WorkerPool pool, TimeProvider? time = null)
    {
        _synchronous = new SlidingRate(Window, time);
        _asynchronous = new SlidingRate(Window, time);
        pool.JobFinished += record =>
        {
            if (record.Outcome == JobOutcome.Completed) Of(record.Queue).Record();
        };
    }

    public SlidingRate Of(JobQueue queue) => queue == JobQueue.Synchronous ? _synchronous : _asynchronous;
}
