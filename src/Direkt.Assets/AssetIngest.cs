using Direkt.Configuration.Loading;
using Direkt.Configuration.Options;
using Direkt.Imaging;
using Direkt.Scheduling;
using Direkt.Storage;
using Direkt.Storage.Objects;
using Direkt.Storage.Records;
using Direkt.Assets.Sources;
using Direkt.Variants;
using Microsoft.Extensions.Logging;

namespace Direkt.Assets;

/// <summary>
/// Taking in new assets: receive the bytes (upload or URL source) into a temporary file, inspect and preprocess them in the
/// worker pool, put the original, then record it. Each call reads the live configuration once and keeps that snapshot.
/// </summary>
public sealed class AssetIngest(
    IAssetRecords repository,
    LookupCache lookups,
    IObjectStore objects,
    ImageInspector inspector,
    DirektConfigurationMonitor settings,
    SpoolLocation spoolLocation,
    Sources.UrlSourceFetcher fetcher,
    UploadPreprocessor preprocessor,
    WorkerPool pool,
    AssetVariants variants,
    MemoryBudget memory,
    TimeProvider time,
    ObjectKeyNames keyNames,
    TemporarySpace temporarySpace,
    ILogger<AssetIngest> logger)
{
    /// <summary>
    /// Receives a new asset's bytes into a temporary file, refusing them mid-stream past the size limit of their origin.
    /// The caller disposes the result (which deletes the file) after <see cref="StoreAsync"/>.
    /// </summary>
    public Task<SpooledUpload> ReceiveAsync(Stream content, AssetOrigin origin, CancellationToken cancellationToken)
    {
        var limits = settings.Current.Options.Source;
        var maxBytes = origin.Source == "url" ? limits.Url.MaxBytes : limits.Multipart.MaxBytes;
        return SpooledUpload.WriteAsync(content, maxBytes, spoolLocation, temporarySpace, cancellationToken);
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
            var spool = await SpooledUpload.FillAsync(spoolLocation, temporarySpace, settings.Current.Options.Source.Url.MaxBytes,
                file => fetcher.FetchAsync(uri, file, cancellationToken));
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
    /// <param name="grantedTypes">An upload token's `types`: the sniffed type must be one of them (415 otherwise); null = no such limit.</param>
    public async Task<AssetRecord> StoreAsync(
        AssetPath path, SpooledUpload spool, AssetMetadata metadata, AssetOrigin origin, CancellationToken cancellationToken,
        IReadOnlyList<string>? grantedTypes = null)
    {
        var metadataErrors = metadata.Validate();
        if (metadataErrors.Count > 0) throw AssetException.BadRequest("The asset metadata is invalid.", metadataErrors);

        var configuration = settings.Current; // one snapshot for the whole upload, even if direkt.conf reloads meanwhile
        var policy = configuration.Paths.Resolve(path.Value);
        var image = await InspectAsync(configuration, spool.FilePath, cancellationToken);
        if (!ContentTypePolicy.Allows(policy.AllowedContentTypes, image.Format))
            throw new AssetException(AssetProblemKind.UnsupportedMediaType, "Unsupported media type",
                $"{image.Format.MimeType} is not allowed at {path}; allowed: {string.Join(", ", policy.AllowedContentTypes!)}.");
        if (grantedTypes is not null && !ContentTypePolicy.Allows(grantedTypes, image.Format))
            throw new AssetException(AssetProblemKind.UnsupportedMediaType, "Unsupported media type",
                $"The upload token allows {(grantedTypes.Count == 0 ? "no type" : string.Join(", ", grantedTypes))}; this image is {image.Format.MimeType}.",
                cause: ProblemCauses.UploadTokenType);

        var rewritten = spool.FilePath + ".preprocessed";
        try
        {
            return await StoreOriginalAsync(configuration, policy, path, spool, metadata, origin, image, rewritten, cancellationToken);
        }
        finally
        {
            File.Delete(rewritten);
        }
    }

    private async Task<AssetRecord> StoreOriginalAsync(DirektConfiguration configuration, PathPolicy policy, AssetPath path,
        SpooledUpload spool, AssetMetadata metadata, AssetOrigin origin, ImageAttributes image, string rewritten, CancellationToken cancellationToken)
    {
        var file = spool.FilePath;
        if (await preprocessor.RunAsync(configuration, path.Value, spool.FilePath, image, rewritten, cancellationToken) is { } rendered)
        {
            file = rewritten;
            image = new ImageAttributes(rendered.Width, rendered.Height, rendered.Format, rendered.PageCount, rendered.Loop,
                rendered.ColorSpace, Orientation: 1);
        }
        var lqip = await PlaceholdersAsync(policy.Image.Lqip, file, cancellationToken);
        var bucket = policy.ObjectStore.Bucket;
        var key = await keyNames.NewOriginalAsync(image.Format.Extension, cancellationToken);
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

    // A tiny thumbnail decode, still image work: it runs in the pool like the probe.
    private async Task<Lqip?> PlaceholdersAsync(IReadOnlyCollection<string> kinds, string file, CancellationToken cancellationToken)
    {
        if (kinds.Count == 0) return null;
        Lqip? result = null;
        await ImageWorkFailures.TranslateUploadAsync(async () =>
        {
            await pool.RunSynchronousAsync(new WorkItem("lqip", async token =>
            {
                // Under the memory budget like every decode of user bytes: the thumbnail shrinks on load where the format can.
                using (await memory.AcquireAsync(DecodeCostEstimator.Estimate(file), token))
                    result = PlaceholderRule.Compute(kinds, file);
            }, cancellationToken), cancellationToken);
            return 0;
        });
        return result;
    }

    private async Task<ImageAttributes> InspectAsync(DirektConfiguration configuration, string file, CancellationToken cancellationToken)
    {
        var limits = new ImagingLimits
        {
            MaxSourcePixels = configuration.Options.Limits.MaxSourcePixels,
            MaxAnimationFrames = configuration.Options.Limits.MaxAnimationFrames,
        };
        // Probing decodes pixels, so it is synchronous work in the bounded pool like any variant (preprocessing at upload).
        return await ImageWorkFailures.TranslateUploadAsync(async () =>
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
