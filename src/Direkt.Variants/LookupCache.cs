using System.Collections.Concurrent;
using Direkt.Storage.Records;

namespace Direkt.Variants;

/// <summary>
/// A small bounded in-process cache of what the hit path resolved: which asset a content request names (without its generated
/// variants), which stored variant a canonical transformation names, and whole hits by their exact request. A cached hit
/// touches no database.
/// <para>
/// Correct across instances by a short lifetime: an entry lives at most <see cref="Ttl"/>, so a change made through another
/// instance (PUT, DELETE, a new upload at a path served "latest", expiry) is seen within that time. Changes made through this
/// instance forget the path's entries at once; a lookup that started before such a change stores nothing, so it cannot
/// bring a stale answer back. A full cache stores nothing new until entries expire (bounded memory, no eviction scans).
/// </para>
/// </summary>
public sealed class LookupCache(TimeProvider time, LookupCacheOptions options)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _changes;
    private long _lastSweep;

    public LookupCache(TimeProvider time) : this(time, new LookupCacheOptions()) { }

    public TimeSpan Ttl => options.Ttl;

    /// <summary>The asset a selection at <paramref name="path"/> names, cached; <paramref name="selection"/> identifies selector and labels.</summary>
    public Task<AssetRecord?> GetAssetAsync(string path, string selection, Func<CancellationToken, Task<AssetRecord?>> load,
        CancellationToken cancellationToken) =>
        GetOrLoadAsync($"a\n{path}\n{selection}", path, load, cancellationToken);

    /// <summary>The stored variant of an asset for a canonical transformation, cached once found (a miss is not remembered).</summary>
    public Task<VariantRecord?> GetVariantAsync(string path, long entryId, string transformation, Func<CancellationToken, Task<VariantRecord?>> load,
        CancellationToken cancellationToken) =>
        GetOrLoadAsync($"v\n{path}\n{entryId}\n{transformation}", path, load, cancellationToken);

    /// <summary>
    /// The mark to pass to <see cref="Remember"/>, taken before resolving: an answer resolved while a change was made through
    /// this instance is not kept.
    /// </summary>
    public long Mark => Interlocked.Read(ref _changes);

    /// <summary>
    /// Keeps something resolved from the records for a whole request (<paramref name="request"/> names it exactly), under
    /// <paramref name="path"/>, with the same lifetime and forgetting as every lookup.
    /// </summary>
    public void Remember(string request, string path, object value, long mark) =>
        Store("r\n" + request, path, value, time.GetUtcNow(), mark);

    /// <summary>What <see cref="Remember"/> kept for <paramref name="request"/>, while it lives; null otherwise.</summary>
    public object? Recall(string request) =>
        _entries.TryGetValue("r\n" + request, out var entry) && entry.Expires > time.GetUtcNow() ? entry.Value : null;

    /// <summary>Forgets every entry of <paramref name="path"/> (and, with <paramref name="below"/>, of every path below it).</summary>
    public void Forget(string path, bool below = false)
    {
        Interlocked.Increment(ref _changes);
        var prefix = path.TrimEnd('/') + "/";
        foreach (var (key, entry) in _entries)
            if (entry.Path == path || (below && (path == "/" || entry.Path.StartsWith(prefix, StringComparison.Ordinal))))
                _entries.TryRemove(key, out _);
    }

    public int Count => _entries.Count;

    private async Task<T?> GetOrLoadAsync<T>(string key, string path, Func<CancellationToken, Task<T?>> load, CancellationToken cancellationToken)
        where T : class
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var cached) && cached.Expires > now) return (T)cached.Value;
        var changes = Interlocked.Read(ref _changes);
        var loaded = await load(cancellationToken);
        if (loaded is not null) Store(key, path, loaded, now, changes);
        return loaded;
    }

    private void Store(string key, string path, object value, DateTimeOffset now, long changesBefore)
    {
        if (options.Ttl <= TimeSpan.Zero || !HasRoom(now)) return;
        _entries[key] = new Entry(path, value, now + options.Ttl);
        // A change that happened while resolving may have forgotten this path already; then this answer may be stale.
        if (Interlocked.Read(ref _changes) != changesBefore) _entries.TryRemove(key, out _);
    }

    private bool HasRoom(DateTimeOffset now)
    {
        if (_entries.Count < options.Capacity) return true;
        // Sweeping expired entries costs a pass over the cache: at most once a second, however many misses find it full.
        var last = Interlocked.Read(ref _lastSweep);
        if (now.UtcTicks - last < TimeSpan.TicksPerSecond || Interlocked.CompareExchange(ref _lastSweep, now.UtcTicks, last) != last) return false;
        foreach (var (key, entry) in _entries)
            if (entry.Expires <= now) _entries.TryRemove(key, out _);
        return _entries.Count < options.Capacity;
    }

    private sealed record Entry(string Path, object Value, DateTimeOffset Expires);
}

/// <summary>How long resolved lookups are kept (0: not at all) and how many at most.</summary>
public sealed record LookupCacheOptions
{
    public TimeSpan Ttl { get; init; } = TimeSpan.FromSeconds(5);
    public int Capacity { get; init; } = 10_000;
}
