using Microsoft.Extensions.Configuration;

namespace Direkt.Configuration.Options;

/// <summary>The settings that apply to assets below a path pattern (direkt.conf `paths`).</summary>
public sealed class PathPolicy
{
    /// <summary>Null means every supported type. Values are format names (jpg, png, …) or MIME types (image/jpeg, …).</summary>
    [ConfigurationKeyName("allowed-content-types")] public List<string>? AllowedContentTypes { get; set; }
    [ConfigurationKeyName("image")] public ImagePolicy Image { get; set; } = new();
    [ConfigurationKeyName("transform")] public TransformPolicy Transform { get; set; } = new();
    [ConfigurationKeyName("object-store")] public PathObjectStorePolicy ObjectStore { get; set; } = new();
    [ConfigurationKeyName("return-format")] public ReturnFormatPolicy ReturnFormat { get; set; } = new();
    [ConfigurationKeyName("cache-control")] public CacheControlPolicy CacheControl { get; set; } = new();
}

public sealed class ImagePolicy
{
    [ConfigurationKeyName("lqip")] public List<string> Lqip { get; set; } = [];
}

public sealed class TransformPolicy
{
    [ConfigurationKeyName("preprocessing")] public PreprocessingPolicy Preprocessing { get; set; } = new();
    [ConfigurationKeyName("eager-variants")] public List<string> EagerVariants { get; set; } = [];
    [ConfigurationKeyName("on-demand-variant")] public OnDemandVariantPolicy OnDemandVariant { get; set; } = new();
    [ConfigurationKeyName("negotiate")] public List<string> Negotiate { get; set; } = [];
    [ConfigurationKeyName("expire")] public ExpirePolicy Expire { get; set; } = new();
}

public sealed class PreprocessingPolicy : TransformationSettings
{
    [ConfigurationKeyName("enabled")] public bool Enabled { get; set; }
    [ConfigurationKeyName("max-width")] public int? MaxWidth { get; set; }
    [ConfigurationKeyName("max-height")] public int? MaxHeight { get; set; }
}

/// <summary>transform.on-demand-variant.mode: which requests may make variants on demand.</summary>
public enum OnDemandMode { Enabled, ProfileOnly, Disabled }

/// <summary>transform.expire.strategy: when generated variants go.</summary>
public enum ExpireStrategy { Never, Ttl, Idle }

/// <summary>return-format.redirect.strategy: how `redirect` answers.</summary>
public enum RedirectStrategy { None, Presigned, Template }

public sealed class OnDemandVariantPolicy
{
    [ConfigurationKeyName("mode")] public OnDemandMode Mode { get; set; }
}

public sealed class ExpirePolicy
{
    [ConfigurationKeyName("strategy")] public ExpireStrategy Strategy { get; set; }
    [ConfigurationKeyName("ttl")] public TimeSpan? Ttl { get; set; }
}

public sealed class PathObjectStorePolicy
{
    [ConfigurationKeyName("bucket")] public string Bucket { get; set; } = "";
}

public sealed class ReturnFormatPolicy
{
    [ConfigurationKeyName("redirect")] public RedirectPolicy Redirect { get; set; } = new();
}

public sealed class RedirectPolicy
{
    [ConfigurationKeyName("strategy")] public RedirectStrategy Strategy { get; set; }
    [ConfigurationKeyName("template")] public RedirectTemplatePolicy Template { get; set; } = new();
    [ConfigurationKeyName("presigned")] public PresignedPolicy Presigned { get; set; } = new();
}

public sealed class RedirectTemplatePolicy
{
    [ConfigurationKeyName("string")] public string? String { get; set; }
}

public sealed class PresignedPolicy
{
    [ConfigurationKeyName("ttl")] public TimeSpan Ttl { get; set; }
}

/// <summary>The fields of one Cache-Control value. Ages are whole seconds, as they appear in the header.</summary>
public class CacheControlSettings
{
    [ConfigurationKeyName("max-age")] public long? MaxAge { get; set; }
    [ConfigurationKeyName("s-maxage")] public long? SMaxAge { get; set; }
    [ConfigurationKeyName("visibility")] public string? Visibility { get; set; }
    [ConfigurationKeyName("revalidate")] public string? Revalidate { get; set; }
    [ConfigurationKeyName("stale-while-revalidate")] public long? StaleWhileRevalidate { get; set; }
    [ConfigurationKeyName("stale-if-error")] public long? StaleIfError { get; set; }
    [ConfigurationKeyName("immutable")] public bool Immutable { get; set; }
}

/// <summary>cache-control.entry / cache-control.selector: the value for one kind of URL, sent when enabled.</summary>
public sealed class CacheControlBlock : CacheControlSettings
{
    [ConfigurationKeyName("enabled")] public bool Enabled { get; set; }
}

/// <summary>
/// A path's Cache-Control: <see cref="Entry"/> for entry-addressed URLs (`/-/entry/{id}/…`, whose bytes never change) and
/// <see cref="Selector"/> for the others (`new`, `modified`: they move to a newer asset). The flat fields are the single value of
/// earlier versions: once <see cref="Enabled"/> is set (true or false) they apply to both kinds, exactly as before.
/// </summary>
public sealed class CacheControlPolicy : CacheControlSettings
{
    [ConfigurationKeyName("enabled")] public bool? Enabled { get; set; }
    [ConfigurationKeyName("entry")] public CacheControlBlock Entry { get; set; } = new();
    [ConfigurationKeyName("selector")] public CacheControlBlock Selector { get; set; } = new();

    /// <summary>The settings for a URL and whether they are on: the flat single value when set, else the URL's kind's block.</summary>
    public (CacheControlSettings Settings, bool Enabled) For(bool entryAddressed) =>
        Enabled is { } single ? (this, single) : entryAddressed ? (Entry, Entry.Enabled) : (Selector, Selector.Enabled);
}
