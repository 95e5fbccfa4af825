using Direkt.Storage;

namespace Direkt.Http.Observability;

/// <summary>
/// A /stats value read from the records at most once per <paramref name="period"/>, however often the page polls; concurrent
/// requests share one read. While the records cannot be read the last value stays (<paramref name="beforeAnyRead"/> until one
/// succeeds): /ready is what tells that the records are down.
/// </summary>
internal sealed class CachedReading(TimeSpan period, TimeProvider time, object? beforeAnyRead = null)
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private object? _value;
    private long _readAt; // UTC ticks of the last read (0: never)

    public async ValueTask<object?> GetAsync(Func<CancellationToken, Task<object?>> read, CancellationToken cancellationToken)
    {
        if (Fresh()) return Volatile.Read(ref _value);
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            // Another request may have refreshed while this one waited.
            if (Fresh()) return _value;
            try
            {
                Volatile.Write(ref _value, await read(cancellationToken));
            }
            catch (StorageUnavailableException)
            {
                _value ??= beforeAnyRead;
            }
            Interlocked.Exchange(ref _readAt, time.GetUtcNow().UtcTicks);
            return _value;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private bool Fresh() => time.GetUtcNow().UtcTicks - Interlocked.Read(ref _readAt) < period.Ticks;
}
