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
}

/// <summary>
/// Makes one variant: the header of the original read once and the job planned from it (output limits, whole-job memory
/// estimate) before any pixel work; the original read in place when the store keeps local files, else streamed to a
/// temporary file; rendered by libvips into memory; the store written from those bytes; and only then recorded. If another
/// writer recorded the same variant first, its record wins and our object is removed.
/// </summary>
public sealed class VariantGenerator(
    IObjectStore objects, ILocalObjectFiles localFiles, IAssetRecords repository, VariantRenderer renderer, VariantWorkspace workspace,
    VariantCounters counters, MemoryBudget memory, PlaceholderRule placeholders, OutputLimitsRule limits, TimeProvider time,
    ILogger<VariantGenerator> logger)
{
    /// <param name="timings">Filled with the render and store durations when given (on-demand generations).</param>
    public async Task<VariantRecord> GenerateAsync(AssetRecord asset, Transformation transformation, CancellationToken cancellationToken,
        GenerationTimings? timings = null)
    {
        var original = asset.OriginalVariant;
        string? temporary = null;
        var begun = time.GetTimestamp();
        try
        {
            var sourcePath = localFiles.LocalPath(original.StoreBucket, original.StoreKey)
                ?? (temporary = await CopyToWorkspaceAsync(original, cancellationToken));

            var started = time.GetTimestamp();
            var plan = await renderer.PlanAsync(sourcePath, transformation, limits.Current, cancellationToken);
            EncodedImage encoded;
            using (await memory.AcquireAsync(plan.EstimatedBytes, cancellationToken))
                encoded = await renderer.RenderAsync(sourcePath, plan, cancellationToken);
            var rendered = encoded.Image;
            var lqip = placeholders.Compute(asset.Path, encoded.Bytes);
            var key = $"variants/{Guid.CreateVersion7():N}.{rendered.Format.Extension}";
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
        }
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
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await stored.Content.CopyToAsync(file, cancellationToken);
            return path;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}
