namespace Direkt.Assets;

/// <summary>
/// Problem type names for causes that share a status code but need different reactions: retry soon (queue-full), do not
/// retry the same request (job-timeout), shrink the image (too-many-pixels) … The full list, with statuses, is in docs/api.md.
/// </summary>
public static class ProblemCauses
{
    /// <summary>413: the upload or URL source is larger than its byte limit.</summary>
    public const string UploadTooLarge = "upload-too-large";
    /// <summary>413: more pixels or frames than `limits.*` allow.</summary>
    public const string TooManyPixels = "too-many-pixels";
    /// <summary>400: the variant's final canvas (padding included, all frames) exceeds `limits.max-output-dimension` or `limits.max-output-pixels`.</summary>
    public const string OutputTooLarge = "output-too-large";
    /// <summary>413: the job's memory estimate alone exceeds `variant-generation.memory-budget`.</summary>
    public const string OverBudget = "over-budget";
    /// <summary>422: a JPEG with more scans than Direkt decodes (Imaging.JpegScans), not a corrupt one.</summary>
    public const string TooManyScans = "too-many-scans";
    /// <summary>422: decoding an upload (probe, placeholders, preprocessing) ran past `job-timeout`; the same bytes always would.</summary>
    public const string DecodeTimeout = "decode-timeout";
    /// <summary>503: the synchronous queue stayed full for `enqueue-timeout`.</summary>
    public const string QueueFull = "queue-full";
    /// <summary>503: the job ran past `job-timeout`.</summary>
    public const string JobTimeout = "job-timeout";
    /// <summary>503: the object store or the database cannot be reached.</summary>
    public const string StoreUnavailable = "store-unavailable";
    /// <summary>503: the temporary folder for uploads or generation cannot be written (full disk, permissions).</summary>
    public const string TemporaryStorage = "temporary-storage-unavailable";
    /// <summary>507: the temporary disk for uploads or generation is full (ENOSPC, EDQUOT); nothing was stored.</summary>
    public const string InsufficientStorage = "insufficient-storage";
    /// <summary>503: a readiness probe failed.</summary>
    public const string NotReady = "not-ready";
    /// <summary>503: `/ready` after SIGTERM: the server is finishing its running work and takes no new work.</summary>
    public const string Draining = "draining";
    /// <summary>401: a Bearer upload token was presented but `auth.upload-tokens.secret-key` is not set.</summary>
    public const string UploadTokensDisabled = "upload-tokens-disabled";
    /// <summary>401: the upload token is malformed, not HS256, or its signature is wrong.</summary>
    public const string UploadTokenInvalid = "upload-token-invalid";
    /// <summary>401: the upload token's `exp` has passed (beyond the clock skew allowance).</summary>
    public const string UploadTokenExpired = "upload-token-expired";
    /// <summary>403: the upload token does not cover this path or this kind of request (only POST and PUT of assets).</summary>
    public const string UploadTokenScope = "upload-token-scope";
    /// <summary>413: the image is larger than the upload token's `max_bytes`.</summary>
    public const string UploadTokenTooLarge = "upload-token-too-large";
    /// <summary>415: the image's sniffed type is not among the upload token's `types`.</summary>
    public const string UploadTokenType = "upload-token-type";
}
