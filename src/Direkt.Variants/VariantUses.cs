using System.Collections.Concurrent;
using Direkt.Storage.Records;

namespace Direkt.Variants;

/// <summary>
/// Uses of generated variants noted in memory until they are written as one batch: one entry per variant (its latest use),
/// at most <see cref="Capacity"/> variants between two writes (past that a use is dropped: that variant may then expire a
/// little early, which regenerating on demand repairs).
/// </summary>
internal sealed class VariantUses
{
    public const int Capacity = 100_000;

    private ConcurrentDictionary<(string Path, long EntryId, string Transformation), DateTimeOffset> _pending = new();

    public int Count => Volatile.Read(ref _pending).Count;

    public void Note(VariantTouch use)
    {
        var pending = Volatile.Read(ref _pending);
        if (pending.Count >= Capacity) return;
        pending.AddOrUpdate((use.Path, use.EntryId, use.Transformation), use.At, (_, previous) => previous > use.At ? previous : use.At);
    }

    /// <summary>Everything noted so far; later uses go into a fresh batch.</summary>
    public IReadOnlyList<VariantTouch> Take()
    {
        var taken = Interlocked.Exchange(ref _pending, new());
        return taken.Select(p => new VariantTouch(p.Key.Path, p.Key.EntryId, p.Key.Transformation, p.Value)).ToList();
    }
}
