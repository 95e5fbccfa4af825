namespace Direkt.Storage.Records;

/// <summary>
/// Asset records: creating, reading, changing and deleting assets and recording their variants. Implementations: SQL (SQLite,
/// PostgreSQL, one implementation over a dialect) and in-memory (tests); all pass the same contract suite.
/// </summary>
public interface IAssetRecords
{
    /// <summary>
    /// Records a new asset with its original variant in one transaction, allocating the next entryId of the path
    /// (0 for the first asset ever stored at that path; ids are never reused, even after deletes).
    /// The object must already be in the object store (object before record).
    /// </summary>
    Task<AssetRecord> CreateAsync(NewAsset asset, CancellationToken cancellationToken);

    /// <summary>
    /// The asset at <paramref name="path"/> with <paramref name="entryId"/>, or null. <see cref="VariantScope.Original"/> is one
    /// point statement whatever the number of variants (the hit path); <see cref="VariantScope.All"/> also reads every variant.
    /// </summary>
    Task<AssetRecord?> GetAsync(string path, long entryId, VariantScope variants, CancellationToken cancellationToken);

    /// <summary>Assets at exactly <see cref="AssetQuery.Path"/> matching the label filters, in the requested order.</summary>
    Task<IReadOnlyList<AssetRecord>> FindAsync(AssetQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// One stored generated variant of an asset by its canonical transformation, or null: a point lookup through the
    /// (asset, transformation) index, never a read of the asset's other variants.
    /// </summary>
    Task<VariantRecord?> FindVariantAsync(string path, long entryId, string transformation, CancellationToken cancellationToken);

    /// <summary>
    /// Records a generated variant of an asset. At most one variant exists per (asset, transformation): when another writer
    /// recorded the same transformation first, that existing record is returned and nothing is written.
    /// Returns null when the asset no longer exists.
    /// </summary>
    Task<VariantRecord?> AddVariantAsync(string path, long entryId, VariantRecord variant, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces alt, labels and tags and moves modifiedAt past its previous value. Returns the updated asset with all its
    /// variants, or null when it does not exist.
    /// </summary>
    Task<AssetRecord?> UpdateAsync(string path, long entryId, AssetInformation information, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the selected assets with all their variants in one transaction and, in that same transaction, queues every
    /// stored object of theirs in the deletion outbox: a crash can neither leave a record without its object nor lose an object.
    /// The objects are due for removal at <paramref name="objectsDueAt"/>. Returns what was removed, with all variants (nothing is
    /// not an error).
    /// </summary>
    Task<IReadOnlyList<AssetRecord>> DeleteAsync(AssetDeletion deletion, DateTimeOffset objectsDueAt, CancellationToken cancellationToken);
}

/// <summary>Which variants an asset read brings along.</summary>
public enum VariantScope
{
    /// <summary>Only the original variant: what serving content needs (generated variants are looked up one by one).</summary>
    Original,
    /// <summary>The original, then every generated variant in creation order: asset information, deletes.</summary>
    All,
}

/// <summary>The deletion outbox: objects of removed records, waiting until the object store confirms their removal.</summary>
public interface IDeletionOutboxRecords
{
    /// <summary>
    /// Takes up to <paramref name="max"/> outbox entries that are due, hiding them from other takers for <paramref name="lease"/>
    /// (several instances may work the outbox). An entry comes back after the lease unless completed.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> TakeDueDeletionsAsync(int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>The object is gone: the entry leaves the outbox.</summary>
    Task CompleteDeletionAsync(long id, CancellationToken cancellationToken);

    /// <summary>The deletion failed: it is tried again at <paramref name="notBefore"/>.</summary>
    Task RetryDeletionAsync(long id, DateTimeOffset notBefore, string error, CancellationToken cancellationToken);

    /// <summary>How many entries wait in the outbox, due or not (the backlog metric).</summary>
    Task<long> CountDeletionsAsync(CancellationToken cancellationToken);
}

/// <summary>Variant use and expiry: recording when generated variants were served, finding old ones, removing them.</summary>
public interface IVariantUseRecords
{
    /// <summary>
    /// Records when generated variants were last served (idle expiry), all in one transaction: callers collect uses in memory
    /// and flush them in batches, never one write per request. Uses of variants that are gone are ignored.
    /// </summary>
    Task RecordUsesAsync(IReadOnlyCollection<VariantTouch> uses, CancellationToken cancellationToken);

    /// <summary>
    /// Generated variants (never originals) created before <paramref name="createdBefore"/> or last used before
    /// <paramref name="usedBefore"/>, least recently used first, at most <paramref name="max"/>, strictly after
    /// <paramref name="after"/> in that order when given (the reaper pages through all candidates, so variants its path rules
    /// keep can never hide the ones they expire).
    /// </summary>
    Task<IReadOnlyList<VariantUse>> FindVariantsOlderThanAsync(DateTimeOffset createdBefore, DateTimeOffset usedBefore, VariantUse? after,
        int max, CancellationToken cancellationToken);

    /// <summary>
    /// Removes generated variant records and queues their objects in the deletion outbox, in one transaction. Originals are
    /// never removed this way; the objects are due for removal at <paramref name="objectsDueAt"/>. Returns how many records went.
    /// </summary>
    Task<int> DeleteVariantsAsync(IReadOnlyList<VariantUse> variants, DateTimeOffset objectsDueAt, CancellationToken cancellationToken);
}

/// <summary>The orphan sweeper's question to the records.</summary>
public interface IReferencedObjects
{
    /// <summary>Which of <paramref name="keys"/> in <paramref name="bucket"/> a variant record points at.</summary>
    Task<IReadOnlySet<string>> FindReferencedKeysAsync(string bucket, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);
}

/// <summary>The readiness probe's question to the records.</summary>
public interface IRecordStoreHealth
{
    /// <summary>Throws when the database cannot be reached.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Everything a record store provider implements; <see cref="StorageServices.AddDirektStorage"/> registers each part on its
/// own, and consumers depend only on the part they use.
/// </summary>
public interface IRecordStore : IAssetRecords, IDeletionOutboxRecords, IVariantUseRecords, IReferencedObjects, IRecordStoreHealth,
    IStoredBytesRecords, Jobs.IJobRecords, Jobs.IAssetPages;

/// <summary>A generated variant that was served at <paramref name="At"/>.</summary>
public sealed record VariantTouch(string Path, long EntryId, string Transformation, DateTimeOffset At);

/// <summary>What is needed to record a new asset; the repository assigns the entryId.</summary>
public sealed record NewAsset
{
    public required string Path { get; init; }
    public string? Alt { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Tags { get; init; } = [];
    public required string Source { get; init; }
    public string? SourceUrl { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required VariantRecord OriginalVariant { get; init; }
}

public enum AssetOrder
{
    /// <summary>Newest created first (ties: higher entryId first).</summary>
    Created,
    /// <summary>Most recently modified first (ties: higher entryId first).</summary>
    Modified,
}

/// <summary>A lookup of assets at one path.</summary>
/// <param name="Limit">Maximum number of results; -1 means all.</param>
/// <param name="Labels">Every pair must be present on the asset (exact, case-sensitive match); at most <see cref="MaxLabelFilters"/>.</param>
/// <param name="Variants">Which variants each found asset brings along.</param>
public sealed record AssetQuery(string Path, AssetOrder Order = AssetOrder.Created, int Limit = 1, IReadOnlyDictionary<string, string>? Labels = null,
    VariantScope Variants = VariantScope.All)
{
    /// <summary>More label filters than this are refused (API.md: 400); each one is a condition in the database query.</summary>
    public const int MaxLabelFilters = 50;
}
