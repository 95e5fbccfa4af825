using System.Collections.Concurrent;

namespace Direkt.Variants;

/// <summary>
/// The bytes of small stored variants kept in memory (`hit-cache`), so that a hit on a popular variant reads no file and asks
/// no object store: for a hit this is the difference between a static file server's cost and a memory copy.
/// <para>
/// Correct without invalidation: every stored object's key is new for each write (objects are never overwritten), so bytes
/// found under a key are that object's bytes. Which key a request reads comes from the records through the lookup cache,
/// whose lifetime bounds how long a deleted variant can still be served (the same bound as for its object, which the
/// outbox keeps until then). Bounded by total bytes: past <see cref="HotVariantCacheOptions.MaxBytes"/> the least recently
/// served entries go until a tenth of the room is free again, so one eviction pays for many additions.
/// </para>
/// </summary>
public sealed class HotVariantCache(HotVariantCacheOptions options)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _evicting = new();
    private long _bytes;
    private long _found;
    private long _missed;

    public HotVariantCache() : this(new HotVariantCacheOptions()) { }

    /// <summary>Whether an object of <paramref name="length"/> bytes is kept in memory at all.</summary>
    public bool Keeps(long length) => length <= options.MaxObjectBytes && length <= options.MaxBytes / 8;

    public long Bytes => Interlocked.Read(ref _bytes);
    public int Count => _entries.Count;
    public long Capacity => options.MaxBytes;

    /// <summary>Reads answered from memory, and reads of a kept-size object that had to go to the store.</summary>
    public long Found => Interlocked.Read(ref _found);
    public long Missed => Interlocked.Read(ref _missed);

    public bool TryGet(string bucket, string key, out byte[] bytes)
    {
        if (_entries.TryGetValue(Key(bucket, key), out var entry))
        {
            entry.LastUse = Environment.TickCount64;
            Interlocked.Increment(ref _found);
            bytes = entry.Bytes;
            return true;
        }
        Interlocked.Increment(ref _missed);
        bytes = [];
        return false;
    }

    public void Add(string bucket, string key, byte[] bytes)
    {
        if (!Keeps(bytes.LongLength)) return;
        if (!_entries.TryAdd(Key(bucket, key), new Entry(bytes) { LastUse = Environment.TickCount64 })) return;
        if (Interlocked.Add(ref _bytes, bytes.LongLength) > options.MaxBytes) Evict();
    }

    private void Evict()
    {
        // One eviction at a time; additions meanwhile overshoot by at most a few objects (each at most an eighth of the room).
        if (!_evicting.TryEnter()) return;
        try
        {
            var target = options.MaxBytes - options.MaxBytes / 10;
            while (Interlocked.Read(ref _bytes) > options.MaxBytes) // again when additions outran a pass
                foreach (var (key, entry) in _entries.ToArray().OrderBy(e => e.Value.LastUse))
                {
                    if (Interlocked.Read(ref _bytes) <= target) break;
                    if (_entries.TryRemove(new KeyValuePair<string, Entry>(key, entry))) Interlocked.Add(ref _bytes, -entry.Bytes.LongLength);
                }
        }
        finally
        {
            _evicting.Exit();
        }
    }

    private static string Key(string bucket, string key) => string.Concat(bucket, "\n", key);

    private sealed class Entry(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;
        public long LastUse;
    }
}

/// <summary>`hit-cache`: how many bytes of variants are kept in memory in all (0: none) and the largest one kept.</summary>
public sealed record HotVariantCacheOptions
{
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;
    public long MaxObjectBytes { get; init; } = 512 * 1024;
}
