namespace Direkt.Storage.Records;

/// <summary>
/// Asset records in process memory, for tests and throw-away servers; one lock keeps it simple and correct.
/// Times are truncated to the millisecond like the SQLite repository, so both pass the same contract.
/// </summary>
public sealed partial class InMemoryAssetRepository : IRecordStore
{
    private readonly object _lock = new();
    private readonly Dictionary<string, long> _nextEntryId = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Path, long EntryId), AssetRecord> _assets = new();
    private readonly SortedDictionary<long, (OutboxEntry Entry, DateTimeOffset Due)> _outbox = new();
    private long _nextOutboxId = 1;

    public Task<AssetRecord> CreateAsync(NewAsset asset, CancellationToken cancellationToken)
    {
        VariantRules.RequireOriginal(asset);
        lock (_lock)
        {
            var entryId = _nextEntryId.GetValueOrDefault(asset.Path);
            _nextEntryId[asset.Path] = entryId + 1;
            var created = Truncate(asset.CreatedAt);
            var record = new AssetRecord
            {
                Path = asset.Path, EntryId = entryId, Alt = asset.Alt,
                Labels = new Dictionary<string, string>(asset.Labels), Tags = asset.Tags.ToList(),
                Source = asset.Source, SourceUrl = asset.SourceUrl, CreatedAt = created, ModifiedAt = created,
                Variants = [asset.OriginalVariant with { CreatedAt = Truncate(asset.OriginalVariant.CreatedAt) }],
            };
            _assets[(asset.Path, entryId)] = record;
            return Task.FromResult(record);
        }
    }

    public Task<AssetRecord?> GetAsync(string path, long entryId, VariantScope variants, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_assets.GetValueOrDefault((path, entryId)) is { } asset ? Scoped(asset, variants) : null);
    }

    public Task<VariantRecord?> FindVariantAsync(string path, long entryId, string transformation, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult(_assets.GetValueOrDefault((path, entryId))?.Variants
                .FirstOrDefault(v => !v.IsOriginalVariant && v.Transformation == transformation));
    }

    private static AssetRecord Scoped(AssetRecord asset, VariantScope variants) =>
        variants == VariantScope.All ? asset : asset with { Variants = [asset.OriginalVariant] };

    public Task<IReadOnlyList<AssetRecord>> FindAsync(AssetQuery query, CancellationToken cancellationToken)
    {
        LabelFilters.Check(query.Labels);
        lock (_lock)
        {
            var labels = query.Labels ?? new Dictionary<string, string>();
            var matching = _assets.Values
                .Where(a => a.Path == query.Path && labels.All(l => a.Labels.TryGetValue(l.Key, out var v) && v == l.Value));
            var ordered = query.Order == AssetOrder.Modified
                ? matching.OrderByDescending(a => a.ModifiedAt).ThenByDescending(a => a.EntryId)
                : matching.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.EntryId);
            IReadOnlyList<AssetRecord> result = (query.Limit < 0 ? ordered : ordered.Take(query.Limit)).Select(a => Scoped(a, query.Variants)).ToList();
            return Task.FromResult(result);
        }
    }

    public Task<VariantRecord?> AddVariantAsync(string path, long entryId, VariantRecord variant, CancellationToken cancellationToken)
    {
        VariantRules.RequireGenerated(variant);
        lock (_lock)
        {
            if (!_assets.TryGetValue((path, entryId), out var asset)) return Task.FromResult<VariantRecord?>(null);
            var existing = asset.Variants.FirstOrDefault(v => v.Transformation == variant.Transformation);
            if (existing is not null) return Task.FromResult<VariantRecord?>(existing);
            var stored = variant with { CreatedAt = Truncate(variant.CreatedAt) };
            _assets[(path, entryId)] = asset with { Variants = [.. asset.Variants, stored] };
            return Task.FromResult<VariantRecord?>(stored);
        }
    }

    public Task<AssetRecord?> UpdateAsync(string path, long entryId, AssetInformation information, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_assets.TryGetValue((path, entryId), out var asset)) return Task.FromResult<AssetRecord?>(null);
            var updated = asset with
            {
                Alt = information.Alt, Labels = new Dictionary<string, string>(information.Labels), Tags = information.Tags.ToList(),
                ModifiedAt = AssetChangeRules.NextModified(asset.ModifiedAt, now),
            };
            _assets[(path, entryId)] = updated;
            return Task.FromResult<AssetRecord?>(updated);
        }
    }

    public async Task<IReadOnlyList<AssetRecord>> DeleteAsync(AssetDeletion deletion, DateTimeOffset objectsDueAt, CancellationToken cancellationToken)
    {
        var selected = deletion switch
        {
            AssetDeletion.Entry e => (await GetAsync(e.Path, e.EntryId, VariantScope.All, cancellationToken)) is { } one ? [one] : [],
            AssetDeletion.Matching m => await FindAsync(m.Query with { Variants = VariantScope.All }, cancellationToken),
            AssetDeletion.Recursive r => Below(r.Path, r.Labels),
            _ => throw new ArgumentOutOfRangeException(nameof(deletion)),
        };
        lock (_lock)
        {
            var removed = selected.Where(a => _assets.Remove((a.Path, a.EntryId))).ToList();
            foreach (var variant in removed.SelectMany(a => a.Variants))
            {
                var id = _nextOutboxId++;
                _outbox[id] = (new OutboxEntry(id, variant.StoreBucket, variant.StoreKey, 0), Truncate(objectsDueAt));
            }
            return removed;
        }
    }

    private List<AssetRecord> Below(string root, IReadOnlyDictionary<string, string>? labels)
    {
        LabelFilters.Check(labels);
        lock (_lock)
            return _assets.Values.Where(a => AssetChangeRules.Covers(root, a.Path)
                && (labels ?? new Dictionary<string, string>()).All(l => a.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).ToList();
    }

    public Task<IReadOnlyList<OutboxEntry>> TakeDueDeletionsAsync(int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var due = _outbox.Values.Where(o => o.Due <= now).Take(max).Select(o => o.Entry).ToList();
            foreach (var entry in due) _outbox[entry.Id] = (entry, now + lease);
            return Task.FromResult<IReadOnlyList<OutboxEntry>>(due);
        }
    }

    public Task CompleteDeletionAsync(long id, CancellationToken cancellationToken)
    {
        lock (_lock) _outbox.Remove(id);
        return Task.CompletedTask;
    }

    public Task RetryDeletionAsync(long id, DateTimeOffset notBefore, string error, CancellationToken cancellationToken)
    {
        lock (_lock)
            if (_outbox.TryGetValue(id, out var item))
                _outbox[id] = (item.Entry with { Attempts = item.Entry.Attempts + 1 }, notBefore);
        return Task.CompletedTask;
    }

    public Task<long> CountDeletionsAsync(CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult((long)_outbox.Count);
    }

    public Task RecordUsesAsync(IReadOnlyCollection<VariantTouch> uses, CancellationToken cancellationToken)
    {
        lock (_lock)
            foreach (var use in uses)
                if (_assets.TryGetValue((use.Path, use.EntryId), out var asset))
                    _assets[(use.Path, use.EntryId)] = asset with
                    {
                        Variants = asset.Variants.Select(v => v.Transformation == use.Transformation && (v.AccessedAt ?? DateTimeOffset.MinValue) < use.At
                            ? v with { AccessedAt = Truncate(use.At) } : v).ToList(),
                    };
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<VariantUse>> FindVariantsOlderThanAsync(DateTimeOffset createdBefore, DateTimeOffset usedBefore, VariantUse? after,
        int max, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<VariantUse> found = _assets.Values
                .SelectMany(a => a.Variants.Where(v => !v.IsOriginalVariant)
                    .Select(v => new VariantUse(a.Path, a.EntryId, v.Transformation!, v.CreatedAt, v.AccessedAt)))
                .Where(u => u.CreatedAt < createdBefore || u.LastUsed < usedBefore)
                .Where(u => after is null || UseOrder.Instance.Compare(u, after) > 0)
                .Order(UseOrder.Instance).Take(max).ToList();
            return Task.FromResult(found);
        }
    }

    public Task<int> DeleteVariantsAsync(IReadOnlyList<VariantUse> variants, DateTimeOffset objectsDueAt, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var removed = 0;
            foreach (var use in variants)
            {
                if (!_assets.TryGetValue((use.Path, use.EntryId), out var asset)) continue;
                var doomed = asset.Variants.FirstOrDefault(v => !v.IsOriginalVariant && v.Transformation == use.Transformation);
                if (doomed is null) continue;
                _assets[(use.Path, use.EntryId)] = asset with { Variants = asset.Variants.Where(v => v != doomed).ToList() };
                var id = _nextOutboxId++;
                _outbox[id] = (new OutboxEntry(id, doomed.StoreBucket, doomed.StoreKey, 0), Truncate(objectsDueAt));
                removed++;
            }
            return Task.FromResult(removed);
        }
    }

    public Task<IReadOnlySet<string>> FindReferencedKeysAsync(string bucket, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlySet<string> referenced = _assets.Values.SelectMany(a => a.Variants)
                .Where(v => v.StoreBucket == bucket && keys.Contains(v.StoreKey)).Select(v => v.StoreKey).ToHashSet(StringComparer.Ordinal);
            return Task.FromResult(referenced);
        }
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<BucketUsage>> StoredBytesByBucketAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<BucketUsage> usage = _assets.Values.SelectMany(a => a.Variants).GroupBy(v => v.StoreBucket, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new BucketUsage(g.Key, g.LongCount(), g.Sum(v => v.Attributes.Bytes))).ToList();
            return Task.FromResult(usage);
        }
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

    /// <summary>Least recently used first; ties by path, entry id and transformation, so paging never skips or repeats.</summary>
    private sealed class UseOrder : IComparer<VariantUse>
    {
        public static readonly UseOrder Instance = new();

        public int Compare(VariantUse? x, VariantUse? y)
        {
            var c = x!.LastUsed.CompareTo(y!.LastUsed);
            if (c == 0) c = string.CompareOrdinal(x.Path, y.Path);
            if (c == 0) c = x.EntryId.CompareTo(y.EntryId);
            return c != 0 ? c : string.CompareOrdinal(x.Transformation, y.Transformation);
        }
    }
}
