using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Direkt.Storage.Objects;

/// <summary>
/// Objects in S3 or an S3-compatible server (MinIO, R2, Ceph, s3rver). Uploads stream through one part-sized buffer: an object
/// that fits in one part is a single PUT, a larger one a multipart upload that is aborted if anything fails, so a failed write
/// leaves nothing behind. Transient failures are retried by the SDK (standard mode: exponential back-off with jitter);
/// what still fails surfaces as <see cref="StorageUnavailableException"/>, except a missing key, which reads as absent.
/// Buckets are not created here: they are deployment resources, checked by <see cref="CheckHealthAsync"/>.
/// </summary>
public sealed class S3ObjectStore : IObjectStore, IPresignedObjectUrls, IBucketSet, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly S3StoreSettings _settings;
    private IReadOnlyList<string> _buckets;

    public S3ObjectStore(S3StoreSettings settings)
    {
        _settings = settings;
        _buckets = settings.Buckets;
        if (settings.PartSize < S3StoreSettings.MinimumPartSize)
            throw new ArgumentOutOfRangeException(nameof(settings), "S3 parts are at least 5 MiB");
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = settings.MaxRetries,
            Timeout = settings.RequestTimeout,
        };
        if (settings.HttpClientFactory is { } factory) config.HttpClientFactory = factory;
        if (settings.EndpointUrl is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = settings.Region;
        }
        else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(settings.Region);
        if (!settings.ChunkedEncoding)
        {
            // Servers that store aws-chunked framing as data also mishandle trailing checksums; send plain bodies.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        _client = settings.AccessKey is { } accessKey
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, settings.SecretKey), config)
            : new AmazonS3Client(config); // the AWS default credential chain (environment, profile, instance role, …)
    }

    public async Task<long> PutAsync(string bucket, string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ObjectKeys.Validate(bucket, key);
        var buffer = ArrayPool<byte>.Shared.Rent(_settings.PartSize);
        try
        {
            var filled = await FillAsync(content, buffer, _settings.PartSize, cancellationToken);
            if (filled < _settings.PartSize)
            {
                await Guard(() => _client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = bucket, Key = key, ContentType = contentType, UseChunkEncoding = _settings.ChunkedEncoding,
                    InputStream = new MemoryStream(buffer, 0, filled, writable: false), AutoCloseStream = true,
                }, cancellationToken), bucket, key, cancellationToken);
                return filled;
            }
            return await PutMultipartAsync(bucket, key, content, contentType, buffer, filled, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<long> PutMultipartAsync(string bucket, string key, Stream content, string contentType, byte[] buffer, int filled,
        CancellationToken cancellationToken)
    {
        var upload = await Guard(() => _client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = contentType }, cancellationToken), bucket, key, cancellationToken);
        try
        {
            var parts = new List<PartETag>();
            long total = 0;
            while (filled > 0)
            {
                var number = parts.Count + 1;
                var part = await Guard(() => _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = bucket, Key = key, UploadId = upload.UploadId, PartNumber = number, PartSize = filled,
                    InputStream = new MemoryStream(buffer, 0, filled, writable: false), UseChunkEncoding = _settings.ChunkedEncoding,
                }, cancellationToken), bucket, key, cancellationToken);
                parts.Add(new PartETag(number, part.ETag));
                total += filled;
                filled = await FillAsync(content, buffer, _settings.PartSize, cancellationToken);
            }
            await Guard(() => _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = parts,
            }, cancellationToken), bucket, key, cancellationToken);
            return total;
        }
        catch
        {
            await AbortQuietlyAsync(bucket, key, upload.UploadId);
            throw;
        }
    }

    // Best effort: an upload that cannot be aborted now is removed by the bucket's lifecycle rule (docs/deploy.md).
    private async Task AbortQuietlyAsync(string bucket, string key, string uploadId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _client.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, timeout.Token);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException
                                  or OperationCanceledException) { }
    }

    // Reads until the buffer holds `size` bytes or the source ends. Failures of the source propagate as they are.
    private static async Task<int> FillAsync(Stream content, byte[] buffer, int size, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < size && (read = await content.ReadAsync(buffer.AsMemory(filled, size - filled), cancellationToken)) > 0)
            filled += read;
        return filled;
    }

    public Task<StoredObject?> GetAsync(string bucket, string key, CancellationToken cancellationToken) =>
        OpenAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken);

    public async Task<StoredObject?> GetRangeAsync(string bucket, string key, long offset, long length, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ObjectKeys.Validate(bucket, key);
        GetObjectResponse? response;
        try
        {
            response = await GetObjectAsync(new GetObjectRequest
            {
                BucketName = bucket, Key = key, ByteRange = new ByteRange(offset, offset + length - 1),
            }, cancellationToken);
        }
        catch (StorageUnavailableException e) when (e.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.RequestedRangeNotSatisfiable })
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"the range starts past the end of {bucket}/{key}");
        }
        if (response is null) return null;

        // Some S3-compatible servers ignore a range (200 with everything) or stretch one (s3rver answers bytes=0-0 with the
        // whole object). Cut the answer to what was asked, so callers never send more than the Content-Range they announced.
        var (start, total) = ParseContentRange(response.ContentRange) ?? (0, response.ContentLength);
        var count = ObjectRanges.Clamp(offset, length, total).Count;
        var content = response.ResponseStream;
        try
        {
            for (var skip = offset - start; skip > 0;)
            {
                var read = await content.ReadAsync(new byte[(int)Math.Min(skip, 81920)], cancellationToken);
                if (read == 0) throw new IOException($"{bucket}/{key} ended before the requested range");
                skip -= read;
            }
        }
        catch
        {
            response.Dispose();
            throw;
        }
        return new StoredObject(new ReadLimitStream(content, count), count);
    }

    private static (long Start, long Total)? ParseContentRange(string? contentRange)
    {
        // "bytes 0-99/1234"
        if (contentRange is null || !contentRange.StartsWith("bytes ", StringComparison.Ordinal)) return null;
        var dash = contentRange.IndexOf('-');
        var slash = contentRange.IndexOf('/');
        return dash > 6 && slash > dash && long.TryParse(contentRange.AsSpan(6, dash - 6), out var start)
               && long.TryParse(contentRange.AsSpan(slash + 1), out var total)
            ? (start, total)
            : null;
    }

    private async Task<StoredObject?> OpenAsync(GetObjectRequest request, CancellationToken cancellationToken)
    {
        ObjectKeys.Validate(request.BucketName, request.Key);
        var response = await GetObjectAsync(request, cancellationToken);
        return response is null ? null : new StoredObject(response.ResponseStream, response.ContentLength);
    }

    private async Task<GetObjectResponse?> GetObjectAsync(GetObjectRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await Guard(() => _client.GetObjectAsync(request, cancellationToken), request.BucketName, request.Key, cancellationToken);
        }
        catch (StorageUnavailableException e) when (e.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound, ErrorCode: "NoSuchKey" })
        {
            return null;
        }
    }

    public async Task<long?> GetLengthAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        ObjectKeys.Validate(bucket, key);
        try
        {
            var metadata = await Guard(() => _client.GetObjectMetadataAsync(bucket, key, cancellationToken), bucket, key, cancellationToken);
            return metadata.ContentLength;
        }
        // A HEAD answer has no body, so a missing key and a missing bucket look alike; the health check reports the latter.
        catch (StorageUnavailableException e) when (e.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound })
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        // S3 deletes are idempotent and do not say whether the key existed; ask first to keep the contract's answer.
        if (await GetLengthAsync(bucket, key, cancellationToken) is null) return false;
        await Guard(() => _client.DeleteObjectAsync(bucket, key, cancellationToken), bucket, key, cancellationToken);
        return true;
    }

    public async IAsyncEnumerable<string> ListKeysAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectKeys.ValidateBucket(bucket);
        string? continuation = null;
        do
        {
            ListObjectsV2Response page;
            try
            {
                page = await Guard(() => _client.ListObjectsV2Async(new ListObjectsV2Request
                {
                    BucketName = bucket, Prefix = prefix, ContinuationToken = continuation, MaxKeys = _settings.ListPageSize,
                }, cancellationToken), bucket, prefix, cancellationToken);
            }
            // As in the other stores, a bucket that does not exist holds no keys.
            catch (StorageUnavailableException e) when (e.InnerException is AmazonS3Exception { ErrorCode: "NoSuchBucket" })
            {
                yield break;
            }
            foreach (var item in page.S3Objects ?? []) yield return item.Key;
            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (continuation is not null);
    }

    /// <summary>Every configured bucket must exist and be reachable with our credentials (HeadBucket: s3:ListBucket).</summary>
    public Task CheckHealthAsync(CancellationToken cancellationToken) => CheckBucketsAsync(Volatile.Read(ref _buckets), cancellationToken);

    /// <summary>The buckets the health check proves from now on (the paths changed while running).</summary>
    public void UseBuckets(IReadOnlyList<string> buckets) => Volatile.Write(ref _buckets, buckets);

    /// <summary>Throws <see cref="StorageUnavailableException"/> naming the first bucket that does not exist or cannot be reached.</summary>
    public async Task CheckBucketsAsync(IEnumerable<string> buckets, CancellationToken cancellationToken)
    {
        foreach (var bucket in buckets)
        {
            try
            {
                await Guard(() => _client.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, cancellationToken), bucket, "",
                    cancellationToken);
            }
            catch (StorageUnavailableException e) when (e.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound })
            {
                throw new StorageUnavailableException($"the bucket '{bucket}' does not exist at {Where}; create it first", e);
            }
        }
    }

    public Uri PresignGet(string bucket, string key, TimeSpan validFor)
    {
        ObjectKeys.Validate(bucket, key);
        var url = _client.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = bucket, Key = key, Verb = HttpVerb.GET, Expires = DateTime.UtcNow.Add(validFor),
            Protocol = _settings.EndpointUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
        });
        return new Uri(url);
    }

    private string Where => _settings.EndpointUrl ?? $"AWS S3 ({_settings.Region})";

    private async Task<T> Guard<T>(Func<Task<T>> call, string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        // The SDK reports its own request timeout as a cancellation; only the caller's token is a real cancellation.
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException
                                      or OperationCanceledException)
        {
            var status = e is AmazonServiceException { StatusCode: var code } ? $" ({(int)code} {(e as AmazonServiceException)!.ErrorCode})" : "";
            throw new StorageUnavailableException($"the object store at {Where} failed on {bucket}/{key}{status}: {e.Message}", e);
        }
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>How to reach an S3 store (from direkt.conf's object-store.s3 block) and which buckets the paths use.</summary>
public sealed record S3StoreSettings
{
    public const int MinimumPartSize = 5 * 1024 * 1024;

    /// <summary>Null for AWS itself; the base URL of an S3-compatible server otherwise.</summary>
    public string? EndpointUrl { get; init; }
    public string Region { get; init; } = "us-east-1";
    /// <summary>Null to use the AWS default credential chain.</summary>
    public string? AccessKey { get; init; }
    public string? SecretKey { get; init; }
    public bool ForcePathStyle { get; init; }
    /// <summary>Send aws-chunked bodies with trailing checksums (AWS, MinIO); false for servers that store the framing as data.</summary>
    public bool ChunkedEncoding { get; init; } = true;
    /// <summary>The buckets the configured paths use; the health check proves each exists.</summary>
    public IReadOnlyList<string> Buckets { get; init; } = [];
    /// <summary>Upload part size, and the most an upload buffers in memory.</summary>
    public int PartSize { get; init; } = 8 * 1024 * 1024;
    /// <summary>Keys per listing request (S3 answers at most 1000).</summary>
    public int ListPageSize { get; init; } = 1000;
    public int MaxRetries { get; init; } = 3;
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Replaces the SDK's HTTP client (fault injection in tests); null in production.</summary>
    public Amazon.Runtime.HttpClientFactory? HttpClientFactory { get; init; }
}
