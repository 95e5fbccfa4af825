using System.Collections.Concurrent;
using Direkt.Scheduling;
using Direkt.Storage;

namespace Direkt.Variants;

/// <summary>
/// Remembers variants whose generation failed for a reason that repeating would meet again (a corrupt or too complex image,
/// too many pixels, a job timeout), for <see cref="FailedVariantsOptions.Ttl"/> (60 s by default): a repeat gets the same
/// problem at once instead of occupying a worker again. Bounded: a full table remembers nothing new until entries lapse.
/// Passing troubles are never remembered: a full queue, a store outage, a cancelled request, a source that vanished, a full
/// temporary disk.
/// </summary>
public sealed class FailedVariants(TimeProvider time, FailedVariantsOptions options)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _lastSweep;

    public FailedVariants(TimeProvider time) : this(time, new FailedVariantsOptions()) { }

    public int Count => _entries.Count;

    /// <summary>The failure remembered for <paramref name="key"/>, if it has not lapsed.</summary>
    public Exception? Find(string key)
    {
        if (!_entries.TryGetValue(key, out var entry)) return null;
        if (entry.Expires > time.GetUtcNow()) return entry.Failure;
        _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        return null;
    }

    /// <summary>Remembers <paramref name="failure"/> for <paramref name="key"/> when it is worth remembering; true when it was.</summary>
    public bool Remember(string key, Exception failure)
    {
        if (!IsLasting(failure) || options.Ttl <= TimeSpan.Zero) return false;
        var now = time.GetUtcNow();
        if (_entries.Count >= options.Capacity && !Sweep(now)) return false;
        _entries[key] = new Entry(failure, now + options.Ttl);
        return true;
    }

    // A full temporary disk (IOException while copying the original) or temporary space at its bound passes too.
    private static bool IsLasting(Exception failure) => failure is not (OperationCanceledException or SchedulerOverloadedException
        or StorageUnavailableException or VariantSourceGoneException or AggregateException or IOException or TemporarySpaceExhaustedException);

    // A pass over the table at most once a second, however many failures find it full.
    private bool Sweep(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (now.UtcTicks - last < TimeSpan.TicksPerSecond || Interlocked.CompareExchange(ref _lastSweep, now.UtcTicks, last) != last) return false;
        foreach (var (key, entry) in _entries)
            if (entry.Expires <= now) _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        return _entries.Count < options.Capacity;
    }

    private sealed record Entry(Exception Failure, DateTimeOffset Expires);
}

/// <summary>How long a failed generation is remembered (0: not at all), and for how many variants at most.</summary>
public sealed record FailedVariantsOptions
{
    public TimeSpan Ttl { get; init; } = TimeSpan.FromSeconds(60);
    public int Capacity { get; init; } = 10_000;
}
