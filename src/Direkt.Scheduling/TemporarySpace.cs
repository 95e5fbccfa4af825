namespace Direkt.Scheduling;

/// <summary>
/// `limits.max-temporary-bytes`: what all temporary files together (spooled uploads, copies of originals for generation) may
/// hold on the temporary disk. Writers reserve before they write and release when the file is deleted; a reservation past
/// the limit fails at once (<see cref="TemporarySpaceExhaustedException"/>), so a burst of large uploads is refused instead of
/// filling the disk that others share. 0 means no bound of Direkt's own (the disk's size still is one: ENOSPC).
/// </summary>
public sealed class TemporarySpace(long limit)
{
    private long _inUse;

    public static TemporarySpace Unbounded => new(0);

    public long Limit => limit;

    /// <summary>Bytes reserved now by files that exist (or are being written).</summary>
    public long InUse => Interlocked.Read(ref _inUse);

    public void Reserve(long bytes)
    {
        while (true)
        {
            var current = Interlocked.Read(ref _inUse);
            if (limit > 0 && current + bytes > limit)
                throw new TemporarySpaceExhaustedException(
                    $"Temporary files would hold more than limits.max-temporary-bytes ({limit} bytes); {current} bytes are in use.");
            if (Interlocked.CompareExchange(ref _inUse, current + bytes, current) == current) return;
        }
    }

    public void Release(long bytes) => Interlocked.Add(ref _inUse, -bytes);
}

/// <summary>A temporary file would pass `limits.max-temporary-bytes` (HTTP 503, retry once other work has finished).</summary>
public sealed class TemporarySpaceExhaustedException(string message) : Exception(message);
