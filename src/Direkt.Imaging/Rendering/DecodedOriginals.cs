using System.Collections.Concurrent;
using NetVips;

namespace Direkt.Imaging.Rendering;

/// <summary>
/// Decoded originals kept in memory (`decode-cache`), so that the next misses of the same image skip its file and its
/// decode: a page's <c>srcset</c> asks for several widths and formats of one original at once, and eager variants follow
/// an upload. Decoding is most of a miss's work (measured: a 2.5 MP JPEG → 800 px costs 2.2–2.7× as much from its file as
/// from a decoded copy, docs/benchmarks.md).
/// <para>
/// A copy is the original's first page as the format's loader decodes it at the job's shrink (<see cref="ResizeLoader.LoadShrink"/>),
/// not yet oriented, with all its metadata: the resize of a copy gives the pixels the file would. A job may use a copy
/// decoded at its own shrink or a smaller one (more pixels); a job needing more pixels decodes the file and its copy replaces
/// the smaller one. Keyed by the stored original's bucket and key, which are written once, so a copy never goes stale.
/// </para>
/// <para>
/// Bounded by bytes: a copy larger than <see cref="DecodedOriginalsOptions.MaxObjectBytes"/> or a quarter of the room is
/// never kept; past <see cref="DecodedOriginalsOptions.MaxBytes"/> the least recently used copies go. A copy in use is
/// leased: it is freed when the last job reading it finishes. When several jobs of one original start together, one
/// decodes and the others wait for its copy instead of decoding the same file at the same time.
/// </para>
/// </summary>
public sealed class DecodedOriginals(DecodedOriginalsOptions options)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _decoding = new(StringComparer.Ordinal);
    private readonly Lock _changing = new();
    private long _bytes;
    private long _fromMemory;
    private long _fromFile;

    public DecodedOriginals() : this(new DecodedOriginalsOptions()) { }

    public long Bytes => Interlocked.Read(ref _bytes);
    public int Count => _entries.Count;
    public long Capacity => options.MaxBytes;

    /// <summary>Jobs that could use a copy, by where their pixels came from: a copy in memory, or the file (then kept when it fits).</summary>
    public long RendersFromMemory => Interlocked.Read(ref _fromMemory);
    public long RendersFromFile => Interlocked.Read(ref _fromFile);

    /// <summary>Whether a copy of <paramref name="bytes"/> bytes is kept at all.</summary>
    public bool Keeps(long bytes) => bytes > 0 && bytes <= options.MaxObjectBytes && bytes <= options.MaxBytes / 4;

    /// <summary>The header of a kept original, so a job can be planned without its file.</summary>
    internal SourceHeader? Header(string identity) => _entries.TryGetValue(identity, out var entry) ? entry.Header : null;

    /// <summary>A lease on a copy decoded at <paramref name="shrink"/> or less; null when none is kept.</summary>
    internal Lease? Borrow(string identity, int shrink)
    {
        if (!_entries.TryGetValue(identity, out var entry) || entry.Shrink > shrink || !entry.TryAcquire()) return null;
        entry.LastUse = Environment.TickCount64;
        return new Lease(entry);
    }

    /// <summary>
    /// True when the caller is to decode <paramref name="identity"/> (and then call <see cref="EndDecode"/>); false with the
    /// decode already running elsewhere, which <paramref name="running"/> completes.
    /// </summary>
    internal bool TryBeginDecode(string identity, out Task running)
    {
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var current = _decoding.GetOrAdd(identity, mine);
        running = current.Task;
        return current == mine;
    }

    internal void EndDecode(string identity)
    {
        if (_decoding.TryRemove(identity, out var done)) done.TrySetResult();
    }

    internal void Counted(bool fromMemory) => Interlocked.Increment(ref fromMemory ? ref _fromMemory : ref _fromFile);

    /// <summary>
    /// Keeps <paramref name="pixels"/> (a memory image, taken over) unless a copy with as many pixels is kept already, and
    /// returns a lease on them for the job that decoded them: a copy not kept is freed when that lease is released.
    /// </summary>
    internal Lease Add(string identity, SourceHeader header, Image pixels, int shrink)
    {
        var bytes = (long)pixels.Width * pixels.Height * pixels.Bands * SourceHeader.BytesPerSample(pixels.Format);
        var entry = new Entry(header, pixels, shrink, bytes) { LastUse = Environment.TickCount64 };
        entry.TryAcquire(); // the caller's lease, beside the cache's own reference
        if (!Keeps(bytes))
        {
            entry.Release(); // not kept: the caller's lease is the last reference
            return new Lease(entry);
        }
        lock (_changing)
        {
            if (_entries.TryGetValue(identity, out var kept))
            {
                if (kept.Shrink <= shrink)
                {
                    entry.Release();
                    return new Lease(entry);
                }
                _entries[identity] = entry; // more pixels than the kept copy: replaces it
                Interlocked.Add(ref _bytes, bytes - kept.Bytes);
                kept.Release();
            }
            else
            {
                _entries[identity] = entry;
                Interlocked.Add(ref _bytes, bytes);
            }
            if (Interlocked.Read(ref _bytes) > options.MaxBytes) Evict(entry);
        }
        return new Lease(entry);
    }

    // Under _changing: the least recently used copies go (never the one just added) until a tenth of the room is free.
    private void Evict(Entry added)
    {
        var target = options.MaxBytes - options.MaxBytes / 10;
        foreach (var (identity, entry) in _entries.ToArray().OrderBy(e => e.Value.LastUse))
        {
            if (Interlocked.Read(ref _bytes) <= target) break;
            if (entry == added || !_entries.TryRemove(new KeyValuePair<string, Entry>(identity, entry))) continue;
            Interlocked.Add(ref _bytes, -entry.Bytes);
            entry.Release();
        }
    }

    /// <summary>A job's hold on a copy: the copy's pixels stay valid until it is disposed.</summary>
    internal sealed class Lease(Entry entry) : IDisposable
    {
        private int _released;
        public Image Pixels => entry.Pixels;
        public int Shrink => entry.Shrink;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) entry.Release();
        }
    }

    /// <summary>A copy and its references: the cache's own while kept, plus one per lease. The last release frees the pixels.</summary>
    internal sealed class Entry(SourceHeader header, Image pixels, int shrink, long bytes)
    {
        private int _references = 1;
        public SourceHeader Header { get; } = header;
        public Image Pixels { get; } = pixels;
        public int Shrink { get; } = shrink;
        public long Bytes { get; } = bytes;
        public long LastUse;

        public bool TryAcquire()
        {
            for (var seen = Volatile.Read(ref _references); seen > 0; seen = Volatile.Read(ref _references))
                if (Interlocked.CompareExchange(ref _references, seen + 1, seen) == seen) return true;
            return false;
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _references) == 0) Pixels.Dispose();
        }
    }
}

/// <summary>`decode-cache`: how many bytes of decoded originals are kept in memory in all (0: none) and the largest one kept.</summary>
public sealed record DecodedOriginalsOptions
{
    public long MaxBytes { get; init; } = 128L * 1024 * 1024;
    public long MaxObjectBytes { get; init; } = 32L * 1024 * 1024;
}
