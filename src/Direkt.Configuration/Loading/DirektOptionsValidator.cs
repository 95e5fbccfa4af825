using Direkt.Configuration.Options;
using Direkt.Configuration.Paths;

namespace Direkt.Configuration.Loading;

/// <summary>Range and allowed-value rules of direkt.conf, reported with the operator's key names.</summary>
internal static class DirektOptionsValidator
{
    // Direkt.Imaging's ImageFormat names, aliases and MIME types (this project does not see it; a test keeps them equal).
    public static readonly string[] ImageFormatNames = ["jpg", "jpeg", "png", "webp", "avif", "gif", "tiff", "tif", "jxl", "heic"];
    public static readonly string[] ImageMimeTypes =
        ["image/jpeg", "image/png", "image/webp", "image/avif", "image/gif", "image/tiff", "image/jxl", "image/heic"];

    public static void Validate(DirektOptions o, PathPolicyResolver paths, List<ConfigurationError> errors)
    {
        var rules = new Rules(errors);

        rules.Range("http.port", o.Http.Port, 0, 65535);
        if (o.Http.AdminPort is { } adminPort)
        {
            rules.Range("http.admin-port", adminPort, 1, 65535);
            if (adminPort == o.Http.Port)
                rules.Failed("http.admin-port", null, $"must differ from http.port ({o.Http.Port}); null serves everything on http.port");
        }
        rules.OneOf("logging.format", o.Logging.Format, LoggingOptions.Formats);
        rules.OneOf("logging.level", o.Logging.Level, LoggingOptions.Levels);
        rules.AbsoluteHttpUrl("http.public-url", o.Http.PublicUrl);
        rules.Positive("jobs.retention", o.Jobs.Retention);
        rules.Positive("jobs.lease", o.Jobs.Lease);

        rules.OneOf("data-store.provider", o.DataStore.Provider, "sqlite", "postgresql", "in-memory");
        if (o.DataStore.Provider == "sqlite") rules.NotEmpty("data-store.sqlite.path", o.DataStore.Sqlite.Path);
        if (o.DataStore.Provider == "postgresql")
        {
            rules.NotEmpty("data-store.postgresql.host", o.DataStore.Postgresql.Host);
            rules.NotEmpty("data-store.postgresql.database", o.DataStore.Postgresql.Database);
            rules.NotEmpty("data-store.postgresql.user", o.DataStore.Postgresql.User);
        }
        rules.Range("data-store.postgresql.port", o.DataStore.Postgresql.Port, 1, 65535);
        rules.OneOf("data-store.postgresql.ssl-mode", o.DataStore.Postgresql.SslMode,
            "disable", "allow", "prefer", "require", "verify-ca", "verify-full");
        rules.Range("data-store.postgresql.pool-size", o.DataStore.Postgresql.PoolSize, 1, 1000);

        rules.OneOf("object-store.provider", o.ObjectStore.Provider, "filesystem", "s3", "in-memory");
        if (o.ObjectStore.Provider == "filesystem") rules.NotEmpty("object-store.filesystem.root", o.ObjectStore.Filesystem.Root);
        if (o.ObjectStore.Provider == "s3") rules.NotEmpty("object-store.s3.region", o.ObjectStore.S3.Region);
        if (o.ObjectStore.S3.EndpointUrl is { } endpoint) rules.AbsoluteHttpUrl("object-store.s3.endpoint-url", endpoint);
        if ((o.ObjectStore.S3.AccessKey is null) != (o.ObjectStore.S3.SecretKey is null))
            rules.Failed("object-store.s3.access-key", null, "access-key and secret-key are set together, or both left null");

        rules.Range("source.multipart.max-bytes", o.Source.Multipart.MaxBytes, 1, long.MaxValue);
        rules.Range("source.url.max-bytes", o.Source.Url.MaxBytes, 1, long.MaxValue);
        rules.Positive("source.url.timeout", o.Source.Url.Timeout);
        rules.Range("source.url.max-redirects", o.Source.Url.MaxRedirects, 0, 20);
        foreach (var (domain, i) in o.Source.Url.AllowedDomains.Select((d, i) => (d, i)))
            if (!IsDomainPattern(domain))
                rules.Failed($"source.url.allowed-domains[{i}]", domain, "must be a host name (example.com) or a suffix pattern (*.example.com)");

        rules.Range("limits.max-source-pixels", o.Limits.MaxSourcePixels, 1, long.MaxValue);
        rules.Range("limits.max-output-dimension", o.Limits.MaxOutputDimension, 1, 65500);
        rules.Range("limits.max-output-pixels", o.Limits.MaxOutputPixels, 1, long.MaxValue);
        rules.Range("limits.max-animation-frames", o.Limits.MaxAnimationFrames, 1, 100_000);
        rules.Range("limits.max-variants-per-asset", o.Limits.MaxVariantsPerAsset, 0, int.MaxValue);
        rules.Range("limits.max-temporary-bytes", o.Limits.MaxTemporaryBytes, 0, long.MaxValue);
        rules.Range("hit-cache.memory", o.HitCache.Memory, 0, long.MaxValue);
        rules.Range("hit-cache.max-object-size", o.HitCache.MaxObjectSize, 0, int.MaxValue);
        rules.Range("decode-cache.memory", o.DecodeCache.Memory, 0, long.MaxValue);
        rules.Range("decode-cache.max-object-size", o.DecodeCache.MaxObjectSize, 0, long.MaxValue);
        if (o.Limits.MaxTemporaryBytes > 0 && o.Limits.MaxTemporaryBytes < Math.Max(o.Source.Multipart.MaxBytes, o.Source.Url.MaxBytes))
            rules.Failed("limits.max-temporary-bytes", o.Limits.MaxTemporaryBytes.ToString(), "must be 0 (no bound) or at least source.multipart.max-bytes and source.url.max-bytes, or the largest upload could never be received");

        var vg = o.VariantGeneration;
        rules.Range("variant-generation.workers", vg.Workers, 0, 1024);
        rules.Range("variant-generation.queue-size", vg.QueueSize, 1, 1_000_000);
        rules.Range("variant-generation.synchronous-priority", vg.SynchronousPriority, 1, 99);
        rules.Positive("variant-generation.enqueue-timeout", vg.EnqueueTimeout);
        rules.Positive("variant-generation.job-timeout", vg.JobTimeout);
        rules.Range("variant-generation.vips-concurrency", vg.VipsConcurrency, 0, 1024);
        rules.Range("variant-generation.avif-effort", vg.AvifEffort, 0, 9);
        rules.Range("variant-generation.memory-budget", vg.MemoryBudget, 0, long.MaxValue);

        foreach (var name in o.VariantProfiles.Keys)
            if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
                rules.Failed($"variant-profiles.\"{name}\"", null, "profile names use letters, digits, '-', '_' and '.'");

        rules.OneOf("url-signing.algorithm", o.UrlSigning.Algorithm, "hmac_sha256", "hmac_sha384", "hmac_sha512");
        if (o.UrlSigning.Enabled && string.IsNullOrEmpty(o.UrlSigning.SecretKey))
            rules.Failed("url-signing.secret-key", null, "must be set when url-signing.enabled = true (or set URL_SIGNING_SECRET_KEY)");

        foreach (var (key, i) in o.Auth.ApiKeys.Select((k, i) => (k, i)))
            if (key.Length < 16) rules.Failed($"auth.api-keys[{i}]", null, "an API key needs at least 16 characters");
        // HS256 keys shorter than the hash output weaken it (RFC 7518 §3.2); the value is a secret and is never echoed.
        if (o.Auth.UploadTokens.SecretKey is { } tokenKey && System.Text.Encoding.UTF8.GetByteCount(tokenKey) < 32)
            rules.Failed("auth.upload-tokens.secret-key", null, "an upload token key needs at least 32 bytes (UTF-8)");
        rules.Positive("auth.upload-tokens.max-lifetime", o.Auth.UploadTokens.MaxLifetime);

        foreach (var (origin, i) in o.Http.Cors.AllowedOrigins.Select((c, i) => (c, i)))
            if (origin != CorsOptions.AnyOrigin && !IsOrigin(origin))
                rules.Failed($"http.cors.allowed-origins[{i}]", origin,
                    "must be \"*\" or an origin: scheme://host[:port] without path or trailing slash, e.g. https://app.example.com");
        rules.Range("http.cors.max-age", (long)o.Http.Cors.MaxAge.TotalSeconds, 0, 86400);

        foreach (var pattern in paths.Patterns)
        {
            var key = ConfigurationKeys.Append("paths", pattern.Text);
            var policy = paths.Resolve(pattern.ExamplePath());
            ValidatePathPolicy(key, policy, o, rules);
        }
    }

    private static void ValidatePathPolicy(string key, PathPolicy p, DirektOptions o, Rules rules)
    {
        if (p.AllowedContentTypes is { } types)
            foreach (var (type, i) in types.Select((t, i) => (t, i)))
                rules.OneOf($"{key}.allowed-content-types[{i}]", type, [.. ImageFormatNames, .. ImageMimeTypes]);
        foreach (var (lqip, i) in p.Image.Lqip.Select((t, i) => (t, i)))
            rules.OneOf($"{key}.image.lqip[{i}]", lqip, "blurhash", "thumbhash");

        var t = p.Transform;
        foreach (var (profile, i) in t.EagerVariants.Select((e, i) => (e, i)))
            if (!o.VariantProfiles.ContainsKey(profile))
                rules.Failed($"{key}.transform.eager-variants[{i}]", profile,
                    $"no such profile in variant-profiles (defined: {string.Join(", ", o.VariantProfiles.Keys)})");
        foreach (var (format, i) in t.Negotiate.Select((f, i) => (f, i)))
            rules.OneOf($"{key}.transform.negotiate[{i}]", format, ImageFormatNames);
        if (t.Expire.Strategy is ExpireStrategy.Ttl or ExpireStrategy.Idle && t.Expire.Ttl is not { } ttl)
            rules.Failed($"{key}.transform.expire.ttl", null, $"is required when expire.strategy = {ConfigurationNames.Of(t.Expire.Strategy)}");
        rules.NullableRange($"{key}.transform.preprocessing.max-width", t.Preprocessing.MaxWidth, 1, o.Limits.MaxOutputDimension);
        rules.NullableRange($"{key}.transform.preprocessing.max-height", t.Preprocessing.MaxHeight, 1, o.Limits.MaxOutputDimension);

        if (!IsBucketName(p.ObjectStore.Bucket))
            rules.Failed($"{key}.object-store.bucket", p.ObjectStore.Bucket,
                "must be 3–63 characters of lower-case letters, digits, '-' and '.', starting and ending with a letter or digit");

        var redirect = p.ReturnFormat.Redirect;
        if (redirect.Template.String is { } template)
        {
            var scheme = template.TrimStart().Split(':')[0].ToLowerInvariant();
            if (scheme is "javascript" or "data" or "vbscript")
                rules.Failed($"{key}.return-format.redirect.template.string", template, $"'{scheme}:' URLs are refused");
        }
        rules.Positive($"{key}.return-format.redirect.presigned.ttl", redirect.Presigned.Ttl);
        if (redirect.Presigned.Ttl > TimeSpan.FromDays(7))
            rules.Failed($"{key}.return-format.redirect.presigned.ttl", redirect.Presigned.Ttl.ToString(), "S3 presigned URLs last at most 7 days");
        if (redirect.Strategy == RedirectStrategy.Presigned && o.ObjectStore.Provider != "s3")
            rules.Failed($"{key}.return-format.redirect.strategy", "presigned",
                $"presigned redirects need object-store.provider = s3 (it is {o.ObjectStore.Provider}); use template or none");
        if (redirect.Strategy == RedirectStrategy.Template)
        {
            if (string.IsNullOrWhiteSpace(redirect.Template.String))
                rules.Failed($"{key}.return-format.redirect.template.string", null, "is required when redirect.strategy = template");
            else if (!redirect.Template.String.Contains("{key}", StringComparison.Ordinal))
                rules.Failed($"{key}.return-format.redirect.template.string", redirect.Template.String,
                    "must contain {key} (and usually {bucket}), e.g. \"https://cdn.example.com/{bucket}/{key}\"");
            else if (!Uri.TryCreate(redirect.Template.String.Replace("{bucket}", "b").Replace("{key}", "k"), UriKind.Absolute, out var uri)
                     || uri.Scheme is not ("http" or "https"))
                rules.Failed($"{key}.return-format.redirect.template.string", redirect.Template.String,
                    "must be an absolute http:// or https:// URL once {bucket} and {key} are filled in");
        }

        ValidateCacheControl($"{key}.cache-control", p.CacheControl, rules);
        ValidateCacheControl($"{key}.cache-control.entry", p.CacheControl.Entry, rules);
        ValidateCacheControl($"{key}.cache-control.selector", p.CacheControl.Selector, rules);
    }

    private static void ValidateCacheControl(string key, CacheControlSettings cc, Rules rules)
    {
        if (cc.Visibility is { } visibility) rules.OneOf($"{key}.visibility", visibility, "public", "private");
        if (cc.Revalidate is { } revalidate)
            rules.OneOf($"{key}.revalidate", revalidate, "must-revalidate", "proxy-revalidate", "no-cache");
        rules.NullableRange($"{key}.max-age", cc.MaxAge, 0, int.MaxValue);
        rules.NullableRange($"{key}.s-maxage", cc.SMaxAge, 0, int.MaxValue);
        rules.NullableRange($"{key}.stale-while-revalidate", cc.StaleWhileRevalidate, 0, int.MaxValue);
        rules.NullableRange($"{key}.stale-if-error", cc.StaleIfError, 0, int.MaxValue);
    }

    private static bool IsDomainPattern(string domain)
    {
        var host = domain.StartsWith("*.", StringComparison.Ordinal) ? domain[2..] : domain;
        return host.Length is > 0 and <= 253 && Uri.CheckHostName(host) == UriHostNameType.Dns;
    }

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase)
        && origin == origin.ToLowerInvariant();

    private static bool IsBucketName(string bucket) =>
        bucket.Length is >= 3 and <= 63
        && bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')
        && char.IsAsciiLetterOrDigit(bucket[0]) && char.IsAsciiLetterOrDigit(bucket[^1])
        && !bucket.Contains("..");

    private sealed class Rules(List<ConfigurationError> errors)
    {
        public void Failed(string key, string? value, string problem) =>
            errors.Add(new ConfigurationError(key, value is null ? null : $"\"{value}\"", null, problem));

        public void Range(string key, long value, long min, long max)
        {
            if (value < min || value > max)
                errors.Add(new ConfigurationError(key, value.ToString(), null,
                    max == long.MaxValue ? $"must be at least {min}" : $"must be between {min} and {max}"));
        }

        public void NullableRange(string key, long? value, long min, long max)
        {
            if (value is { } v) Range(key, v, min, max);
        }

        public void Positive(string key, TimeSpan value)
        {
            if (value <= TimeSpan.Zero) errors.Add(new ConfigurationError(key, value.ToString(), null, "must be a positive duration"));
        }

        public void NotEmpty(string key, string value)
        {
            if (string.IsNullOrWhiteSpace(value)) Failed(key, value, "must not be empty");
        }

        public void OneOf(string key, string value, params string[] allowed)
        {
            if (!allowed.Contains(value, StringComparer.Ordinal))
                Failed(key, value, $"allowed values are {string.Join(", ", allowed)}");
        }

        public void AbsoluteHttpUrl(string key, string value)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
                Failed(key, value, "must be an absolute http:// or https:// URL without query or fragment");
        }
    }
}
