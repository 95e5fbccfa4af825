using Direkt.Configuration.Loading;
using Direkt.Imaging;
using Direkt.Scheduling;
using Direkt.Storage;
using Direkt.Storage.Objects;
using Direkt.Storage.Records;
using Direkt.Assets.Sources;
using Direkt.Variants;
using Microsoft.Extensions.Logging;

namespace Direkt.Assets;

/// <summary>The use cases on assets: store a new one, find assets by selector, open a variant's bytes.</summary>
public sealed class AssetService(
    IAssetRecords repository,
    IRecordStoreHealth records,
    LookupCache lookups,
    IObjectStore objects,
    ImageInspector inspector,
    DirektConfigurationMonitor settings,
    SpoolLocation spoolLocation,
    Sources.UrlSourceFetcher fetcher,
    Variants.PlaceholderRule placeholders,
    UploadPreprocessor preprocessor,
    WorkerPool pool,
    AssetVariants variants,
    MemoryBudget memory,
    TimeProvider time,
    ILogger<AssetService> logger)
{
    // The configuration in force now (paths may change while running).
    private DirektConfiguration configuration => settings.Current;

    /// <summary>
    /// Receives a new asset's bytes into a temporary file, refusing them mid-stream past the size limit of their origin.
    /// The caller disposes the result (which deletes the file) after <see cref="StoreAsync"/>.
    /// </summary>
    public Task<SpooledUpload> ReceiveAsync(Stream content, AssetOrigin origin, CancellationToken cancellationToken)
    {
        var limits = configuration.Options.Source;
        var maxBytes = origin.Source == "url" ? limits.Url.MaxBytes : limits.Multipart.MaxBytes;
        return SpooledUpload.WriteAsync(content, maxBytes, spoolLocation, cancellationToken);
    }

    /// <summary>
    /// Fetches a URL source into a temporary file under the SSRF rules of SECURITY.md (allowed domains, public addresses only,
    /// checked at connect time and after each redirect; size and time limits while streaming).
    /// </summary>
    public async Task<(SpooledUpload Content, AssetOrigin Origin)> ReceiveFromUrlAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            throw AssetException.BadRequest("url must be an absolute http:// or https:// URL.",
                new Dictionary<string, string[]> { ["url"] = ["must be an absolute http:// or https:// URL"] });
        try
        {
            var spool = await SpooledUpload.FillAsync(spoolLocation, file => fetcher.FetchAsync(uri, file, cancellationToken));
            return (spool, new AssetOrigin("url", uri.AbsoluteUri));
        }
        catch (UrlSourceException e)
        {
            logger.LogWarning("URL source {Url} refused or failed: {Kind} {Reason}", uri.GetLeftPart(UriPartial.Path), e.Kind, e.Message);
            throw e.StatusCode switch
            {
                400 => AssetException.BadRequest($"The url cannot be fetched: {e.Message}.", new Dictionary<string, string[]> { ["url"] = [e.Message] }),
                413 => new AssetException(AssetProblemKind.PayloadTooLarge, "Payload too large", $"The url's content is too large: {e.Message}.",
                    cause: ProblemCauses.UploadTooLarge),
                504 => new AssetException(AssetProblemKind.GatewayTimeout, "Source timed out", $"Fetching the url timed out: {e.Message}."),
                _ => new AssetException(AssetProblemKind.BadGateway, "Source failed", $"Fetching the url failed: {e.Message}."),
            };
        }
    }

    /// <summary>
    /// Stores a new asset from received bytes: detect and probe the image, put the object, then record it
    /// (object before record: a crash in between leaves an orphan object, never a record without its object).
    /// </summary>
    public async Task<AssetRecord> StoreAsync(
        AssetPath path, SpooledUpload spool, AssetMetadata metadata, AssetOrigin origin, CancellationToken cancellationToken)
    {
        var metadataErrors = metadata.Validate();
        if (metadataErrors.Count > 0) throw AssetException.BadRequest("The asset metadata is invalid.", metadataErrors);

        var policy = configuration.Paths.Resolve(path.Value);
        var image = await InspectAsync(spool.FilePath, cancellationToken);
        if (!ContentTypePolicy.Allows(policy.AllowedContentTypes, image.Format))
            throw new AssetException(AssetProblemKind.UnsupportedMediaType, "Unsupported media type",
                $"{image.Format.MimeType} is not allowed at {path}; allowed: {string.Join(", ", policy.AllowedContentTypes!)}.");

        var rewritten = spool.FilePath + ".preprocessed";
        try
        {
            return await StoreOriginalAsync(path, spool, metadata, origin, image, rewritten, cancellationToken);
        }
        finally
        {
            File.Delete(rewritten);
        }
    }

    private async Task<AssetRecord> StoreOriginalAsync(AssetPath path, SpooledUpload spool, AssetMetadata metadata, AssetOrigin origin,
        ImageAttributes image, string rewritten, CancellationToken cancellationToken)
    {
        var policy = configuration.Paths.Resolve(path.Value);
        var file = spool.FilePath;
        if (await preprocessor.RunAsync(path.Value, spool.FilePath, image, rewritten, cancellationToken) is { } rendered)
        {
            file = rewritten;
            image = new ImageAttributes(rendered.Width, rendered.Height, rendered.Format, rendered.PageCount, rendered.Loop,
                rendered.ColorSpace, Orientation: 1);
        }
        var lqip = await PlaceholdersAsync(path, file, cancellationToken);
        var bucket = policy.ObjectStore.Bucket;
        var key = $"originals/{Guid.CreateVersion7():N}.{image.Format.Extension}";
        long stored;
        await using (var content = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous))
            stored = await objects.PutAsync(bucket, key, content, image.Format.MimeType, cancellationToken);

        var now = time.GetUtcNow();
        var original = new VariantRecord
        {
            IsOriginalVariant = true,
            StoreBucket = bucket,
            StoreKey = key,
            Attributes = new VariantAttributes(image.Width, image.Height, image.Format.Name, image.PageCount, image.Loop,
                image.ColorSpace, stored),
            Lqip = lqip,
            CreatedAt = now,
        };
        AssetRecord record;
        try
        {
            record = await repository.CreateAsync(new NewAsset
            {
                Path = path.Value,
                Alt = metadata.Alt,
                Labels = metadata.Labels,
                Tags = metadata.Tags,
                Source = origin.Source,
                SourceUrl = origin.SourceUrl,
                CreatedAt = now,
                OriginalVariant = original,
            }, cancellationToken);
        }
        catch
        {
            await DeleteOrphanAsync(bucket, key);
            throw;
        }
        lookups.Forget(record.Path); // "the latest asset at this path" has changed
        logger.LogInformation("Stored asset {AssetPath} entry {EntryId}: {Format} {Width}x{Height}, {Bytes} bytes",
            record.Path, record.EntryId, image.Format.Name, image.Width, image.Height, stored);
        variants.QueueEager(record); // only once the record exists
        return record;
    }

    /// <summary>
    /// The assets a selector picks at a path; at most <paramref name="limit"/> (-1 = all), each with the variants
    /// <paramref name="variants"/> names. One asset with only its original is the hit path: resolved through
    /// <see cref="LookupCache"/> (no database at all while cached).
    /// </summary>
    public async Task<IReadOnlyList<AssetRecord>> FindAsync(AssetPath path, AssetSelector selector, int limit,
        IReadOnlyDictionary<string, string> labels, VariantScope variants, CancellationToken cancellationToken)
    {
        if (limit != 1 || variants != VariantScope.Original) return await LoadAsync(path, selector, limit, labels, variants, cancellationToken);
        var selection = System.Text.Json.JsonSerializer.Serialize(new { Selector = selector.ToString(),
            Labels = labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new[] { l.Key, l.Value }) });
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
    public async Task<AssetContent> OpenAsync(VariantRecord variant, (long Offset, long Length)? range, CancellationToken cancellationToken)
    {
        var stored = range is { } r
            ? await objects.GetRangeAsync(variant.StoreBucket, variant.StoreKey, r.Offset, r.Length, cancellationToken)
            : await objects.GetAsync(variant.StoreBucket, variant.StoreKey, cancellationToken);
        if (stored is not null) return AssetContent.For(stored, variant.Attributes.Format);
        logger.LogError("Object {Bucket}/{Key} of a recorded variant is missing from the object store", variant.StoreBucket, variant.StoreKey);
        throw new AssetException(AssetProblemKind.Unavailable, "Content unavailable",
            "The stored content of this asset cannot be read right now.", cause: ProblemCauses.StoreUnavailable);
    }

    /// <summary>Throws when the object store or the asset records cannot be reached, or the worker pool does not run.</summary>
    public async Task CheckStoresAsync(CancellationToken cancellationToken)
    {
        if (!pool.Running) throw new InvalidOperationException("the worker pool is not running");
        await records.CheckHealthAsync(cancellationToken);
        await objects.CheckHealthAsync(cancellationToken);
    }

    // A tiny thumbnail decode, still image work: it runs in the pool like the probe.
    private async Task<Lqip?> PlaceholdersAsync(AssetPath path, string file, CancellationToken cancellationToken)
    {
        if (configuration.Paths.Resolve(path.Value).Image.Lqip.Count == 0) return null;
        Lqip? result = null;
        await ImageWorkFailures.TranslateAsync(async () =>
        {
            await pool.RunSynchronousAsync(new WorkItem("lqip", token =>
            {
                result = placeholders.Compute(path.Value, file);
                return Task.CompletedTask;
            }, cancellationToken), cancellationToken);
            return 0;
        });
        return result;
    }

    private async Task<ImageAttributes> InspectAsync(string file, CancellationToken cancellationToken)
    {
        var limits = new ImagingLimits
        {
            MaxSourcePixels = configuration.Options.Limits.MaxSourcePixels,
            MaxAnimationFrames = configuration.Options.Limits.MaxAnimationFrames,
        };
        // Probing decodes pixels, so it is synchronous work in the bounded pool like any variant (preprocessing at upload).
        return await ImageWorkFailures.TranslateAsync(async () =>
        {
            ImageAttributes? attributes = null;
            await pool.RunSynchronousAsync(new WorkItem("inspect",
                async token => attributes = await inspector.InspectAsync(file, limits, memory.AcquireAsync, token), cancellationToken), cancellationToken);
            return attributes!;
        });
    }

    private async Task DeleteOrphanAsync(string bucket, string key)
    {
        try
        {
            await objects.DeleteAsync(bucket, key, CancellationToken.None);
        }
        catch (Exception e) when (e is StorageUnavailableException or IOException)
        {
            // The orphan sweeper removes objects that no record points at.
            logger.LogWarning(e, "Could not remove orphan object {Bucket}/{Key} after a failed record write", bucket, key);
        }
    }
}
