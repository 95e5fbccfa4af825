using Microsoft.Extensions.Configuration;

namespace Direkt.Configuration.Options;

/// <summary>The whole of direkt.conf, typed. Key names are the HOCON keys; see config/direkt.conf for every default.</summary>
public sealed class DirektOptions
{
    [ConfigurationKeyName("http")] public HttpOptions Http { get; set; } = new();
    [ConfigurationKeyName("data-store")] public DataStoreOptions DataStore { get; set; } = new();
    [ConfigurationKeyName("object-store")] public ObjectStoreOptions ObjectStore { get; set; } = new();
    [ConfigurationKeyName("source")] public SourceOptions Source { get; set; } = new();
    [ConfigurationKeyName("limits")] public LimitsOptions Limits { get; set; } = new();
    [ConfigurationKeyName("variant-generation")] public VariantGenerationOptions VariantGeneration { get; set; } = new();
    [ConfigurationKeyName("hit-cache")] public HitCacheOptions HitCache { get; set; } = new();
    [ConfigurationKeyName("decode-cache")] public DecodeCacheOptions DecodeCache { get; set; } = new();
    [ConfigurationKeyName("variant-profiles")] public Dictionary<string, TransformationSettings> VariantProfiles { get; set; } = new(StringComparer.Ordinal);
    [ConfigurationKeyName("url-signing")] public UrlSigningOptions UrlSigning { get; set; } = new();
    [ConfigurationKeyName("auth")] public AuthOptions Auth { get; set; } = new();
    [ConfigurationKeyName("logging")] public LoggingOptions Logging { get; set; } = new();
    [ConfigurationKeyName("jobs")] public JobsOptions Jobs { get; set; } = new();

    /// <summary>
    /// The path patterns as written, each unmerged. Use <see cref="Paths.PathPolicyResolver"/> for the effective policy of a path.
    /// </summary>
    [ConfigurationKeyName("paths")] public Dictionary<string, PathPolicy> Paths { get; set; } = new(StringComparer.Ordinal);
}

public sealed class HttpOptions
{
    [ConfigurationKeyName("port")] public int Port { get; set; }
    [ConfigurationKeyName("public-url")] public string PublicUrl { get; set; } = "";
    /// <summary>When set, /metrics, /stats and /status are served only on this port, and the public routes only on <see cref="Port"/>.</summary>
    [ConfigurationKeyName("admin-port")] public int? AdminPort { get; set; }
    [ConfigurationKeyName("cors")] public CorsOptions Cors { get; set; } = new();
}

/// <summary>http.cors: which other origins' pages may read (and, when listed by name, write) through a browser.</summary>
public sealed class CorsOptions
{
    public const string AnyOrigin = "*";

    [ConfigurationKeyName("allowed-origins")] public List<string> AllowedOrigins { get; set; } = [];
    [ConfigurationKeyName("max-age")] public TimeSpan MaxAge { get; set; }
}

public sealed class DataStoreOptions
{
    [ConfigurationKeyName("provider")] public string Provider { get; set; } = "";
    [ConfigurationKeyName("sqlite")] public SqliteOptions Sqlite { get; set; } = new();
    [ConfigurationKeyName("postgresql")] public PostgresqlOptions Postgresql { get; set; } = new();
}

public sealed class SqliteOptions
{
    [ConfigurationKeyName("path")] public string Path { get; set; } = "";
}

public sealed class PostgresqlOptions
{
    [ConfigurationKeyName("host")] public string Host { get; set; } = "";
    [ConfigurationKeyName("port")] public int Port { get; set; }
    [ConfigurationKeyName("database")] public string Database { get; set; } = "";
    [ConfigurationKeyName("user")] public string User { get; set; } = "";
    [ConfigurationKeyName("password")] public string Password { get; set; } = "";
    [ConfigurationKeyName("ssl-mode")] public string SslMode { get; set; } = "";
    [ConfigurationKeyName("pool-size")] public int PoolSize { get; set; }
}

public sealed class ObjectStoreOptions
{
    [ConfigurationKeyName("provider")] public string Provider { get; set; } = "";
    [ConfigurationKeyName("filesystem")] public FileSystemStoreOptions Filesystem { get; set; } = new();
    [ConfigurationKeyName("s3")] public S3Options S3 { get; set; } = new();
}

public sealed class FileSystemStoreOptions
{
    [ConfigurationKeyName("root")] public string Root { get; set; } = "";
}

public sealed class S3Options
{
    [ConfigurationKeyName("endpoint-url")] public string? EndpointUrl { get; set; }
    [ConfigurationKeyName("region")] public string Region { get; set; } = "";
    [ConfigurationKeyName("access-key")] public string? AccessKey { get; set; }
    [ConfigurationKeyName("secret-key")] public string? SecretKey { get; set; }
    [ConfigurationKeyName("force-path-style")] public bool ForcePathStyle { get; set; }
    [ConfigurationKeyName("chunked-encoding")] public bool ChunkedEncoding { get; set; }
}

public sealed class SourceOptions
{
    [ConfigurationKeyName("multipart")] public MultipartSourceOptions Multipart { get; set; } = new();
    [ConfigurationKeyName("url")] public UrlSourceOptions Url { get; set; } = new();
}

public sealed class MultipartSourceOptions
{
    [ByteSize, ConfigurationKeyName("max-bytes")] public long MaxBytes { get; set; }
}

public sealed class UrlSourceOptions
{
    [ConfigurationKeyName("allowed-domains")] public List<string> AllowedDomains { get; set; } = [];
    [ByteSize, ConfigurationKeyName("max-bytes")] public long MaxBytes { get; set; }
    [ConfigurationKeyName("timeout")] public TimeSpan Timeout { get; set; }
    [ConfigurationKeyName("max-redirects")] public int MaxRedirects { get; set; }
}

public sealed class LimitsOptions
{
    [ConfigurationKeyName("max-source-pixels")] public long MaxSourcePixels { get; set; }
    [ConfigurationKeyName("max-output-dimension")] public int MaxOutputDimension { get; set; }
    [ConfigurationKeyName("max-output-pixels")] public long MaxOutputPixels { get; set; }
    [ConfigurationKeyName("max-animation-frames")] public int MaxAnimationFrames { get; set; }
    [ConfigurationKeyName("max-variants-per-asset")] public int MaxVariantsPerAsset { get; set; }
    [ByteSize, ConfigurationKeyName("max-temporary-bytes")] public long MaxTemporaryBytes { get; set; }
}

public sealed class VariantGenerationOptions
{
    [ConfigurationKeyName("workers")] public int Workers { get; set; }
    [ConfigurationKeyName("queue-size")] public int QueueSize { get; set; }
    [ConfigurationKeyName("synchronous-priority")] public int SynchronousPriority { get; set; }
    [ConfigurationKeyName("enqueue-timeout")] public TimeSpan EnqueueTimeout { get; set; }
    [ConfigurationKeyName("job-timeout")] public TimeSpan JobTimeout { get; set; }
    [ConfigurationKeyName("vips-concurrency")] public int VipsConcurrency { get; set; }
    [ConfigurationKeyName("avif-effort")] public int AvifEffort { get; set; }
    [ByteSize, ConfigurationKeyName("memory-budget")] public long MemoryBudget { get; set; }
    [ConfigurationKeyName("shutdown-grace")] public TimeSpan ShutdownGrace { get; set; }
}

/// <summary>hit-cache: small stored variants kept in memory, so that a hit on them reads no file and asks no object store.</summary>
public sealed class HitCacheOptions
{
    [ByteSize, ConfigurationKeyName("memory")] public long Memory { get; set; }
    [ByteSize, ConfigurationKeyName("max-object-size")] public long MaxObjectSize { get; set; }
}

/// <summary>decode-cache: decoded originals kept in memory, so that the next misses of the same image skip its file and its decode.</summary>
public sealed class DecodeCacheOptions
{
    [ByteSize, ConfigurationKeyName("memory")] public long Memory { get; set; }
    [ByteSize, ConfigurationKeyName("max-object-size")] public long MaxObjectSize { get; set; }
}

public sealed class UrlSigningOptions
{
    [ConfigurationKeyName("enabled")] public bool Enabled { get; set; }
    [ConfigurationKeyName("algorithm")] public string Algorithm { get; set; } = "";
    [ConfigurationKeyName("secret-key")] public string? SecretKey { get; set; }
}

public sealed class AuthOptions
{
    [ConfigurationKeyName("api-keys")] public List<string> ApiKeys { get; set; } = [];
    [ConfigurationKeyName("upload-tokens")] public UploadTokenOptions UploadTokens { get; set; } = new();
}

/// <summary>auth.upload-tokens: short-lived browser upload tokens (HS256 JWTs); no key, no tokens.</summary>
public sealed class UploadTokenOptions
{
    [ConfigurationKeyName("secret-key")] public string? SecretKey { get; set; }
    [ConfigurationKeyName("max-lifetime")] public TimeSpan MaxLifetime { get; set; }
}

public sealed class LoggingOptions
{
    public static readonly string[] Formats = ["text", "json"];
    public static readonly string[] Levels = ["verbose", "debug", "information", "warning", "error", "fatal"];

    [ConfigurationKeyName("format")] public string Format { get; set; } = "";
    [ConfigurationKeyName("level")] public string Level { get; set; } = "";
}

/// <summary>jobs: background jobs (POST /jobs).</summary>
public sealed class JobsOptions
{
    /// <summary>How long finished jobs stay readable before the retention loop removes them.</summary>
    [ConfigurationKeyName("retention")] public TimeSpan Retention { get; set; }

    /// <summary>How long an instance's claim on a job holds without renewal; another instance takes the job over after it.</summary>
    [ConfigurationKeyName("lease")] public TimeSpan Lease { get; set; }
}

/// <summary>Marks a long property that accepts HOCON sizes ("100MB", "1GiB") as well as plain byte counts.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ByteSizeAttribute : Attribute;
