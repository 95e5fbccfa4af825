using Direkt.Imaging;
using Direkt.Imaging.Rendering;
using Direkt.Imaging.Transformations;
using Direkt.Scheduling;
using Direkt.Storage;
using Direkt.Storage.Objects;
using Direkt.Storage.Records;
using Microsoft.Extensions.Logging;

namespace Direkt.Variants;

/// <summary>Where generation works: temporary copies of originals from stores without local files (libvips may need random access).</summary>
public sealed record VariantWorkspace(string Folder)
{
    public static VariantWorkspace SystemTemp { get; } = new(Path.GetTempPath());

    /// <summary>Opens a new temporary file. A seam for fault injection only (tests write to /dev/full for a real ENOSPC).</summary>
    public Func<string, Stream> Create { get; init; } = path =>
        new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
}

/// <summary>
/// Makes one variant: the header of the original read once and the job planned from it (output limits, whole-job memory
/// estimate) before any pixel work; the original resized from its decoded copy in memory when one is kept
/// (<see cref="DecodedOriginals"/>), else read in place when the store keeps local files, else streamed to a temporary file;
/// rendered by libvips into memory; the store written from those bytes, which are kept for the response and the next hits
/// (<see cref="HotVariantCache"/>); and only then recorded. If another
/// writer recorded the same variant first, its record wins and our object is removed. An asset that already has
/// `limits.max-variants-per-asset` variants (one count through an index, asked only here, on a miss) gets the new variant
/// served from memory and not stored (<see cref="VariantRecord.UnstoredBytes"/>); eager work skips it altogether.
/// </summary>
public sealed class VariantGenerator(
    IObjectStore objects, ILocalObjectFiles localFiles, IAssetRecords repository, VariantRenderer renderer, VariantWorkspace workspace,
    VariantCounters counters, MemoryBudget memory, PlaceholderRule placeholders, OutputLimitsRule limits, TimeProvider time,
    ObjectKeyNames keyNames, IVariantCounts variantCounts, VariantStorageRule storage, TemporarySpace temporarySpace,
    HotVariantCache hot, ILogger<VariantGenerator> logger)
{
    /// <param name="timings">Filled with the render and store durations when given (on-demand generations).</param>
    public async Task<VariantRecord> GenerateAsync(AssetRecord asset, Transformation transformation, CancellationToken cancellationToken,
        GenerationTimings? timings = null) =>
        (await GenerateAsync(asset, transformation, eager: false, timings, cancellationToken))!;

    /// <summary>
    /// Whether the asset may store another generated variant (`limits.max-variants-per-asset`). Background work asks first,
    /// so it never renders what it would have to throw away.
    /// </summary>
    public async Task<bool> HasRoomAsync(AssetRecord asset, CancellationToken cancellationToken) =>
        await variantCounts.CountVariantsAsync(asset.Path, asset.EntryId, cancellationToken) < storage.MaxPerAsset;

    /// <summary>The `limits.max-variants-per-asset` in force, for messages.</summary>
    public int MaxVariantsPerAsset => storage.MaxPerAsset;

    /// <summary>An eager generation: null, and nothing rendered, when the asset has no room for another stored variant.</summary>
    public Task<VariantRecord?> GenerateEagerAsync(AssetRecord asset, Transformation transformation, CancellationToken cancellationToken) =>
        GenerateAsync(asset, transformation, eager: true, null, cancellationToken);

    private async Task<VariantRecord?> GenerateAsync(AssetRecord asset, Transformation transformation, bool eager, GenerationTimings? timings,
        CancellationToken cancellationToken)
    {
        var original = asset.OriginalVariant;
        var max = storage.MaxPerAsset;
        // Concurrent misses of one asset may each see room: the limit can be passed by at most the number of workers.
        var store = await variantCounts.CountVariantsAsync(asset.Path, asset.EntryId, cancellationToken) < max;
        if (!store && eager)
        {
            logger.LogInformation("Eager variant {Transformation} of {AssetPath} entry {EntryId} skipped: the asset has {Max} variants (limits.max-variants-per-asset)",
                transformation.Key, asset.Path, asset.EntryId, max);
            return null;
        }
        string? temporary = null;
        var begun = time.GetTimestamp();
        long reserved = 0;
        try
        {
            // The file is made only when the job needs it: a job served from a decoded copy in memory reads no store at all.
            var source = new OriginalSource($"{original.StoreBucket}\n{original.StoreKey}", async token =>
            {
                if (localFiles.LocalPath(original.StoreBucket, original.StoreKey) is { } local) return local;
                temporarySpace.Reserve(original.Attributes.Bytes); // past limits.max-temporary-bytes: 503, nothing copied
                reserved = original.Attributes.Bytes;
                return temporary = await CopyToWorkspaceAsync(original, token);
            });

            var started = time.GetTimestamp();
            var plan = await renderer.PlanAsync(source, transformation, limits.Current, cancellationToken);
            EncodedImage encoded;
            using (await memory.AcquireAsync(plan.EstimatedBytes, cancellationToken))
                encoded = await renderer.RenderAsync(source, plan, cancellationToken);
            var rendered = encoded.Image;
            var lqip = placeholders.Compute(asset.Path, encoded.Bytes);
            if (!store) return NotStored(asset, transformation, original, encoded, lqip, max);
            var key = await keyNames.NewVariantAsync(rendered.Format.Extension, cancellationToken);
            var stored = time.GetTimestamp();
            if (timings is not null) timings.Render = time.GetElapsedTime(begun, stored);
            long bytes;
            await using (var output = new MemoryStream(encoded.Bytes, writable: false))
                bytes = await objects.PutAsync(original.StoreBucket, key, output, rendered.Format.MimeType, cancellationToken);

            var variant = new VariantRecord
            {
                IsOriginalVariant = false,
                Transformation = transformation.Key,
                StoreBucket = original.StoreBucket,
                StoreKey = key,
                Attributes = new VariantAttributes(rendered.Width, rendered.Height, rendered.Format.Name, rendered.PageCount,
                    rendered.Loop, rendered.ColorSpace, bytes),
                Lqip = lqip,
                CreatedAt = time.GetUtcNow(),
            };
            var recorded = await repository.AddVariantAsync(asset.Path, asset.EntryId, variant, CancellationToken.None);
            if (recorded is null || recorded.StoreKey != key)
            {
                // The asset went away, or another instance recorded this variant first: ours is an orphan now. If the store
                // refuses the delete, the answer is still good (the winner's record); the orphan sweeper removes ours later.
                try
                {
                    await objects.DeleteAsync(original.StoreBucket, key, CancellationToken.None);
                }
                catch (StorageUnavailableException e)
                {
                    logger.LogWarning("Could not remove the unrecorded variant {Bucket}/{Key}; the orphan sweeper will: {Reason}",
                        original.StoreBucket, key, e.Message);
                }
                if (recorded is null) throw new VariantSourceGoneException("the asset was deleted while its variant was generated");
            }
            // The response (and the next hits) are served from the bytes just stored, not read back from the store.
            else hot.Add(original.StoreBucket, key, encoded.Bytes);
            if (timings is not null) timings.Store = time.GetElapsedTime(stored);
            var took = time.GetElapsedTime(started);
            counters.Generate(took);
            logger.LogInformation("Generated {AssetPath} entry {EntryId} [{Transformation}]: {Width}x{Height} {Format}, {Bytes} bytes in {Elapsed:0} ms",
                asset.Path, asset.EntryId, transformation.Key, rendered.Width, rendered.Height, rendered.Format.Name, bytes,
                took.TotalMilliseconds);
            return recorded!;
        }
        finally
        {
            if (temporary is not null) File.Delete(temporary);
            temporarySpace.Release(reserved);
        }
    }

    private VariantRecord NotStored(AssetRecord asset, Transformation transformation, VariantRecord original, EncodedImage encoded, Lqip? lqip, int max)
    {
        var rendered = encoded.Image;
        counters.NotStore();
        logger.LogInformation("Generated {AssetPath} entry {EntryId} [{Transformation}] without storing it: the asset has {Max} variants (limits.max-variants-per-asset)",
            asset.Path, asset.EntryId, transformation.Key, max);
        return new VariantRecord
        {
            IsOriginalVariant = false,
            Transformation = transformation.Key,
            StoreBucket = original.StoreBucket,
            // Names no object (not a valid key): anything that tried to read it from the store would fail loudly.
            StoreKey = $"(not stored) {transformation.Key}",
            Attributes = new VariantAttributes(rendered.Width, rendered.Height, rendered.Format.Name, rendered.PageCount,
                rendered.Loop, rendered.ColorSpace, encoded.Bytes.LongLength),
            Lqip = lqip,
            CreatedAt = time.GetUtcNow(),
            UnstoredBytes = encoded.Bytes,
        };
    }

    // Stores without local files (S3): libvips may need random access, so the original becomes a temporary file first.
    private async Task<string> CopyToWorkspaceAsync(VariantRecord original, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workspace.Folder);
        var path = Path.Combine(workspace.Folder, $"direkt-source-{Guid.NewGuid():N}");
        try
        {
            await using var stored = await objects.GetAsync(original.StoreBucket, original.StoreKey, cancellationToken)
                ?? throw new VariantSourceGoneException($"the original {original.StoreBucket}/{original.StoreKey} is missing");
            await using (var file = workspace.Create(path))
            {
                await stored.Content.CopyToAsync(file, cancellationToken);
                await file.FlushAsync(cancellationToken); // a full disk fails here, not unobserved in Dispose
            }
            return path;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}
