using Direkt.Configuration.Options;
using Direkt.Http.Assets;
using Microsoft.AspNetCore.Http;

namespace Direkt.Http.Cors;

/// <summary>
/// `http.cors` as decisions: which origin a browser answer names (`Access-Control-Allow-Origin`), and whether the answer varies by
/// origin. `*` opens reads (GET, HEAD) to every page; writes (POST, PUT, DELETE) only ever to origins listed by name, which get
/// their own origin echoed (and `Vary: Origin`). Applies to /assets and /tokens only: operations endpoints stay same-origin.
/// </summary>
internal sealed class CorsRules
{
    /// <summary>Response headers a page may read besides the CORS-safelisted ones (the placeholders from their one home).</summary>
    public static readonly string ExposedHeaders = string.Join(", ",
        new[] { "ETag", "Cache-Status", "Direkt-Alt" }.Concat(ContentResponse.LqipHeaders)
            .Concat(["Location", "Server-Timing", "Content-Disposition", "Content-Range", "Accept-Ranges", "Retry-After", "X-Request-Id"]));

    public const string ReadMethods = "GET, HEAD";
    public const string AllMethods = "GET, HEAD, POST, PUT, DELETE";
    /// <summary>Request headers a page may send on reads (conditional and range requests; never credentials).</summary>
    public const string ReadHeaders = "Accept, If-None-Match, If-Modified-Since, If-Range, Range, X-Request-Id";
    /// <summary>Listed origins may also authenticate writes: `Authorization` must be named, `*` would not cover it.</summary>
    public const string WriteHeaders = "Authorization, Content-Type, " + ReadHeaders;

    private readonly HashSet<string> _listed;

    public CorsRules(CorsOptions options)
    {
        AnyOriginReads = options.AllowedOrigins.Contains(CorsOptions.AnyOrigin);
        _listed = options.AllowedOrigins.Where(o => o != CorsOptions.AnyOrigin).ToHashSet(StringComparer.OrdinalIgnoreCase);
        MaxAgeSeconds = ((long)options.MaxAge.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool Enabled => AnyOriginReads || _listed.Count > 0;
    public bool AnyOriginReads { get; }
    public string MaxAgeSeconds { get; }

    public static bool Applies(PathString path) => path.StartsWithSegments("/assets") || path.StartsWithSegments("/tokens");

    public static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

    public static bool IsWrite(string method) => HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);

    public bool IsListed(string origin) => _listed.Contains(origin);

    /// <summary>The Access-Control-Allow-Origin value for a request (or preflight) of this method from this origin; null = none.</summary>
    public string? AllowedOrigin(string? origin, string method)
    {
        if (string.IsNullOrEmpty(origin)) return null;
        if (IsRead(method)) return AnyOriginReads ? CorsOptions.AnyOrigin : IsListed(origin) ? origin : null;
        return IsWrite(method) && IsListed(origin) ? origin : null;
    }

    /// <summary>True when requests of this method get different answers from different origins (so caches must key on Origin).</summary>
    public bool VariesByOrigin(string method) => _listed.Count > 0 && !(IsRead(method) && AnyOriginReads);
}
