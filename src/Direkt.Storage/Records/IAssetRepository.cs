namespace Direkt.Storage.Records;

/// <summary>
/// Asset records. Implementations: SQLite (embedded default), in-memory (tests), PostgreSQL (several instances).
/// All of them pass the same contract test suite.
/// </summary>
public interface IAssetRepository
{
    /// <summary>
    /// Records a new asset with its original variant in one transaction, allocating the next entryId of the path
    /// (0 for the first asset ever stored at that path; ids are never reused, even after deletes).
    /// The object must already be in the object store (object before record).
    /// </summary>
    Task<AssetRecord> CreateAsync(NewAsset asset, CancellationToken cancellationToken);

    /// <summary>The asset at <paramref name="path"/> with <paramref name="entryId"/>, or null.</summary>
    Task<AssetRecord?> GetAsync(string path, long entryId, CancellationToken cancellationToken);

    /// <summary>Assets at exactly <see cref="AssetQuery.Path"/> matching the label filters, in the requested order.</summary>
    Task<IReadOnlyList<AssetRecord>> FindAsync(AssetQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Records a generated variant of an asset. At most one variant exists per (asset, transformation): when another writer
    /// recorded the same transformation first, that existing record is returned and nothing is written.
    /// Returns null when the asset no longer exists.
    /// </summary>
    Task<VariantRecord?> AddVariantAsync(string path, long entryId, VariantRecord variant, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces alt, labels and tags and moves modifiedAt past its previous value. Returns the updated asset, or null when it
    /// does not exist.
    /// </summary>
    Task<AssetRecord?> UpdateAsync(string path, long entryId, AssetInformation information, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the selected assets with all their variants in one transaction and, in that same transaction, queues every
    /// stored object of theirs in the deletion outbox: a crash can neither leave a record without its object nor lose an object.
    /// Returns what was removed (nothing is not an error).
    /// </summary>
    Task<IReadOnlyList<AssetRecord>> DeleteAsync(AssetDeletion deletion, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="max"/> outbox entries that are due, hiding them from other takers for <paramref name="lease"/>
    /// (several instances may work the outbox). An entry comes back after the lease unless completed.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> TakeDueDeletionsAsync(int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>The object is gone: the entry leaves the outbox.</summary>
    Task CompleteDeletionAsync(long id, CancellationToken cancellationToken);

    /// <summary>The deletion failed: it is tried again at <paramref name="notBefore"/>.</summary>
    Task RetryDeletionAsync(long id, DateTimeOffset notBefore, string error, CancellationToken cancellationToken);

    /// <summary>Records that a generated variant was served at <paramref name="now"/> (idle expiry).</summary>
    Task TouchVariantAsync(string path, long entryId, string transformation, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Generated variants (never originals) created before <paramref name="createdBefore"/> or last used before
    /// <paramref name="usedBefore"/>, oldest first, at most <paramref name="max"/>: candidates the reaper checks against each path's rule.
    /// </summary>
    Task<IReadOnlyList<VariantUse>> FindVariantsOlderThanAsync(DateTimeOffset createdBefore, DateTimeOffset usedBefore, int max,
        CancellationToken cancellationToken);

    /// <summary>
    /// Removes generated variant records and queues their objects in the deletion outbox, in one transaction. Originals are
    /// never removed this way. Returns how many records went.
    /// </summary>
    Task<int> DeleteVariantsAsync(IReadOnlyList<VariantUse> variants, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="keys"/> in <paramref name="bucket"/> a variant record points at (the orphan sweeper's question).</summary>
    Task<IReadOnlySet<string>> FindReferencedKeysAsync(string bucket, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Throws when the database cannot be reached; used by the readiness probe.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}

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
/// <param name="Labels">Every pair must be present on the asset (exact, case-sensitive match).</param>
public sealed record AssetQuery(string Path, AssetOrder Order = AssetOrder.Created, int Limit = 1, IReadOnlyDictionary<string, string>? Labels = null);
