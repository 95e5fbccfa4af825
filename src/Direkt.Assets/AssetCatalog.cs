using Direkt.Scheduling;
using Direkt.Storage;
using Direkt.Storage.Objects;
using Direkt.Storage.Records;
using Direkt.Variants;
using Microsoft.Extensions.Logging;

namespace Direkt.Assets;

/// <summary>Finding, changing and deleting stored assets, and opening their bytes.</summary>
public sealed class AssetCatalog(
    IAssetRecords repository,
    IRecordStoreHealth records,
    LookupCache lookups,
    IObjectStore objects,
    ILocalObjectFiles localFiles,
    HotVariantCache hot,
    WorkerPool pool,
    TimeProvider time,
    ILogger<AssetCatalog> logger)
{
    /// <summary>
    /// The assets a selector picks at a path; at most <paramref name="limit"/> (-1 = all), each with the variants
    /// <paramref name="variants"/> names. One asset with only its original is the hit path: resolved through
    /// <see cref="LookupCache"/> (no database at all while cached).
    /// </summary>
    public async Task<IReadOnlyList<AssetRecord>> FindAsync(AssetPath path, AssetSelector selector, int limit,
        IReadOnlyDictionary<string, string> labels, VariantScope variants, CancellationToken cancellationToken)
    {
        if (limit != 1 || variants != VariantScope.Original) return await LoadAsync(path, selector, limit, labels, variants, cancellationToken);
        // The cache key of the selection; the plain request (no labels) builds no JSON.
        var selected = selector switch
        {
            AssetSelector.Entry e => e.EntryId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AssetSelector.Ordered { Ordering: AssetOrdering.Modified } => "modified",
            _ => "created",
        };
        var selection = labels.Count == 0 ? selected : selected + "\n" + System.Text.Json.JsonSerializer.Serialize(
            labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new[] { l.Key, l.Value }));
        var found = await lookups.GetAssetAsync(path.Value, selection,
            async token => (await LoadAsync(path, selector, 1, labels, variants, token)).FirstOrDefault(), cancellationToken);
        return found is null ? [] : [found];
    }

    private async Task<IReadOnlyList<AssetRecord>> LoadAsync(AssetPath path, AssetSelector selector, int limit,
        IReadOnlyDictionary<string, string> labels, VariantScope variants, CancellationToken cancellationToken)
    {
        if (selector is AssetSelector.Entry entry)
        {
            var record = await repository.GetAsync(path.Value, entry.EntryId, variants, cancellationToken);
            return record is null || !labels.All(l => record.Labels.TryGetValue(l.Key, out var v) && v == l.Value) ? [] : [record];
        }
        var ordering = ((AssetSelector.Ordered)selector).Ordering == AssetOrdering.Modified ? AssetOrder.Modified : AssetOrder.Created;
        return await repository.FindAsync(new AssetQuery(path.Value, ordering, limit, labels, variants), cancellationToken);
    }

    /// <summary>Replaces an asset's alt, labels and tags (PUT). Null when the asset does not exist.</summary>
    public async Task<AssetRecord?> UpdateAsync(AssetPath path, long entryId, AssetMetadata metadata, CancellationToken cancellationToken)
    {
        var errors = metadata.Validate();
        if (errors.Count > 0) throw AssetException.BadRequest("The asset metadata is invalid.", errors);
        var updated = await repository.UpdateAsync(path.Value, entryId, new AssetInformation(metadata.Alt, metadata.Labels, metadata.Tags),
            time.GetUtcNow(), cancellationToken);
        lookups.Forget(path.Value);
        return updated;
    }

    /// <summary>
    /// Deletes the selected assets: records at once in one transaction, their objects through the durable outbox.
    /// Deleting nothing is not an error (DELETE is idempotent).
    /// </summary>
    public async Task<IReadOnlyList<AssetRecord>> DeleteAsync(AssetPath path, AssetSelector selector, bool recursive, int limit,
        IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        AssetDeletion deletion = (selector, recursive) switch
        {
            (_, true) => new AssetDeletion.Recursive(path.Value, labels),
            (AssetSelector.Entry entry, _) => new AssetDeletion.Entry(path.Value, entry.EntryId),
            (AssetSelector.Ordered ordered, _) => new AssetDeletion.Matching(new AssetQuery(path.Value,
                ordered.Ordering == AssetOrdering.Modified ? AssetOrder.Modified : AssetOrder.Created, limit, labels)),
            _ => throw new ArgumentOutOfRangeException(nameof(selector)),
        };
        // entry/{id} with label filters deletes that asset only if it carries them (as GET would find it only then).
        if (deletion is AssetDeletion.Entry one && labels.Count > 0
            && (await repository.GetAsync(one.Path, one.EntryId, VariantScope.Original, cancellationToken) is not { } current
                || !labels.All(l => current.Labels.TryGetValue(l.Key, out var v) && v == l.Value)))
            return [];
        // The objects stay until every instance's cached lookups of them have lapsed: another instance may serve them until then.
        var deleted = await repository.DeleteAsync(deletion, time.GetUtcNow() + lookups.Ttl, cancellationToken);
        lookups.Forget(path.Value, below: recursive);
        foreach (var asset in deleted)
            logger.LogInformation("Deleted asset {AssetPath} entry {EntryId} ({Variants} stored objects queued for removal)",
                asset.Path, asset.EntryId, asset.Variants.Count);
        return deleted;
    }

    /// <summary>Opens a variant's stored bytes. A record whose object is missing is reported, never served as empty.</summary>
    public Task<AssetContent> OpenAsync(VariantRecord variant, CancellationToken cancellationToken) =>
        OpenAsync(variant, null, cancellationToken);

    /// <summary>Opens <paramref name="range"/> (offset, length) of a variant's stored bytes, or all of them when null.</summary>
    public async Task<AssetContent> OpenAsync(VariantRecord variant, (long Offset, long Length)? range, CancellationToken cancellationToken) =>
        await TryOpenAsync(variant, range, cancellationToken) ?? throw ContentMissing(variant);

    /// <summary>
    /// Opens a variant's stored bytes, or null when its object is missing: usually a DELETE or an expiry that raced this
    /// request, which the caller answers by looking the asset up again (<see cref="Forget"/>), not as an error.
    /// </summary>
    public async Task<AssetContent?> TryOpenAsync(VariantRecord variant, (long Offset, long Length)? range, CancellationToken cancellationToken)
    {
        if (variant.UnstoredBytes is { } bytes)
        {
            var (offset, length) = range ?? (0, bytes.LongLength);
            return AssetContent.For(new StoredObject(new MemoryStream(bytes, (int)offset, (int)length, writable: false), length), variant.Attributes.Format);
        }
        var stored = range is { } r
            ? await objects.GetRangeAsync(variant.StoreBucket, variant.StoreKey, r.Offset, r.Length, cancellationToken)
            : await objects.GetAsync(variant.StoreBucket, variant.StoreKey, cancellationToken);
        return stored is null ? null : AssetContent.For(stored, variant.Attributes.Format);
    }

    /// <summary>
    /// A small variant's whole bytes from memory (`hit-cache`), read from the store on its first hit and kept while it is
    /// served: the cheapest way to serve a popular variant. <see cref="HotRead.NotKept"/> for a variant too large to keep
    /// (serve it from the store), <see cref="HotRead.Missing"/> when its object is gone (as for <see cref="TryOpenAsync"/>).
    /// </summary>
    public async ValueTask<(HotRead Outcome, byte[] Bytes)> ReadHotAsync(VariantRecord variant, CancellationToken cancellationToken)
    {
        if (variant.UnstoredBytes is { } unstored) return (HotRead.Found, unstored);
        if (!hot.Keeps(variant.Attributes.Bytes)) return (HotRead.NotKept, []);
        if (hot.TryGet(variant.StoreBucket, variant.StoreKey, out var bytes)) return (HotRead.Found, bytes);
        if (localFiles.LocalPath(variant.StoreBucket, variant.StoreKey) is { } file)
        {
            try
            {
                bytes = await File.ReadAllBytesAsync(file, cancellationToken);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return (HotRead.Missing, []);
            }
        }
        else
        {
            var stored = await objects.GetAsync(variant.StoreBucket, variant.StoreKey, cancellationToken);
            if (stored is null) return (HotRead.Missing, []);
            await using (stored)
            {
                using var buffer = new MemoryStream(checked((int)stored.Length));
                await stored.Content.CopyToAsync(buffer, cancellationToken);
                bytes = buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
            }
        }
        hot.Add(variant.StoreBucket, variant.StoreKey, bytes);
        return (HotRead.Found, bytes);
    }

    /// <summary>
    /// The variant's bytes as a file on this machine, when the object store keeps files (the cheapest way to serve a hit), or
    /// null: another kind of store, or no such file (then <see cref="TryOpenAsync"/> tells which).
    /// </summary>
    public string? LocalFile(VariantRecord variant) =>
        variant.UnstoredBytes is null ? localFiles.LocalPath(variant.StoreBucket, variant.StoreKey) : null;

    /// <summary>Drops this instance's cached lookups of <paramref name="path"/>: the next find reads the records.</summary>
    public void Forget(AssetPath path) => lookups.Forget(path.Value);

    /// <summary>A recorded variant whose object is still missing after a fresh look: lost data, logged and answered 503.</summary>
    public AssetException ContentMissing(VariantRecord variant)
    {
        logger.LogError("Object {Bucket}/{Key} of a recorded variant is missing from the object store", variant.StoreBucket, variant.StoreKey);
        return new AssetException(AssetProblemKind.Unavailable, "Content unavailable",
            "The stored content of this asset cannot be read right now.", cause: ProblemCauses.StoreUnavailable);
    }

    /// <summary>A generation that lost its source again on a fresh look: the original's bytes are gone while its record stays.</summary>
    public AssetException SourceMissing(AssetRecord asset, VariantSourceGoneException gone)
    {
        logger.LogError("Asset {AssetPath} entry {EntryId}: {Reason}", asset.Path, asset.EntryId, gone.Message);
        return new AssetException(AssetProblemKind.Unavailable, "Content unavailable",
            "The stored content of this asset cannot be read right now.", cause: ProblemCauses.StoreUnavailable);
    }

    /// <summary>Throws when the object store or the asset records cannot be reached, or the worker pool does not run.</summary>
    public async Task CheckStoresAsync(CancellationToken cancellationToken)
    {
        if (!pool.Running) throw new InvalidOperationException("the worker pool is not running");
        await records.CheckHealthAsync(cancellationToken);
        await objects.CheckHealthAsync(cancellationToken);
    }

}

/// <summary>What <see cref="AssetCatalog.ReadHotAsync"/> found.</summary>
public enum HotRead
{
    /// <summary>The bytes, from memory.</summary>
    Found,
    /// <summary>Too large for the hit cache (or it is off): serve from the store.</summary>
    NotKept,
    /// <summary>The object is gone: look the asset up again.</summary>
    Missing,
}
