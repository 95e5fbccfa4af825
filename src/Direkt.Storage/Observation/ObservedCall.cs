using System.Diagnostics;

namespace Direkt.Storage.Observation;

/// <summary>Times one store call and reports how it ended.</summary>
internal static class ObservedCall
{
    public static async Task<T> RunAsync<T>(IStorageOperationSink sink, Func<Task<T>> call, Func<T, bool>? missing = null)
    {
        var start = Stopwatch.GetTimestamp();
        T result;
        try
        {
            result = await call();
        }
        catch (Exception e)
        {
            sink.Completed(e is OperationCanceledException ? StorageOutcome.Cancelled : StorageOutcome.Error, Stopwatch.GetElapsedTime(start));
            throw;
        }
        sink.Completed(missing?.Invoke(result) == true ? StorageOutcome.Missing : StorageOutcome.Ok, Stopwatch.GetElapsedTime(start));
        return result;
    }

    public static Task RunAsync(IStorageOperationSink sink, Func<Task> call) =>
        RunAsync(sink, async () => { await call(); return true; });

    /// <summary>A listing counts from its first request to its last key (or to where its consumer stopped).</summary>
    public static async IAsyncEnumerable<T> ListAsync<T>(IStorageOperationSink sink, IAsyncEnumerable<T> items,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        var reported = false;
        await using var keys = items.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await keys.MoveNextAsync();
                }
                catch (Exception e)
                {
                    reported = true;
                    sink.Completed(e is OperationCanceledException ? StorageOutcome.Cancelled : StorageOutcome.Error, Stopwatch.GetElapsedTime(start));
                    throw;
                }
                if (!more) break;
                yield return keys.Current;
            }
        }
        finally
        {
            if (!reported) sink.Completed(StorageOutcome.Ok, Stopwatch.GetElapsedTime(start));
        }
    }
}
