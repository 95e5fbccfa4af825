using System.Security.Cryptography;
using System.Text;
using Direkt.Configuration.Options;
using Direkt.Storage.Records;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using Microsoft.Net.Http.Headers;

namespace Direkt.Http.Assets;

/// <summary>
/// Validators and conditional requests for served variants (RFC 9110 §8.8, §13). The strong ETag covers the stored object (its
/// key names exactly one immutable sequence of bytes) and the asset information version (modifiedAt), because the alt and
/// placeholders travel in headers: an update changes the ETag of every variant.
/// </summary>
internal static class HttpCaching
{
    public static EntityTagHeaderValue EntityTag(AssetRecord record, VariantRecord variant)
    {
        var input = $"{variant.StoreBucket}/{variant.StoreKey}\n{record.ModifiedAt.ToUnixTimeMilliseconds()}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(input));
        return new EntityTagHeaderValue($"\"{Convert.ToBase64String(hash, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_')}\"");
    }

    /// <summary>The later of the variant's creation and the asset's last update, to the second (HTTP dates have no finer unit).</summary>
    public static DateTimeOffset LastModified(AssetRecord record, VariantRecord variant)
    {
        var latest = variant.CreatedAt > record.ModifiedAt ? variant.CreatedAt : record.ModifiedAt;
        return DateTimeOffset.FromUnixTimeSeconds(latest.ToUnixTimeSeconds());
    }

    /// <summary>
    /// True when the client's copy is current: If-None-Match (weak comparison, `*` matches) decides when present; otherwise
    /// If-Modified-Since, for GET and HEAD.
    /// </summary>
    public static bool IsNotModified(RequestHeaders request, EntityTagHeaderValue etag, DateTimeOffset lastModified)
    {
        if (request.IfNoneMatch is { Count: > 0 } candidates)
            return candidates.Any(c => c.Equals(EntityTagHeaderValue.Any) || c.Compare(etag, useStrongComparison: false));
        return request.IfModifiedSince is { } since && lastModified <= since;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CacheControlSettings, System.Runtime.CompilerServices.StrongBox<string?>>
        CacheControlValues = new();

    /// <summary>
    /// The Cache-Control value of a path's policy for an entry-addressed URL or a selector URL, or null when that value is off;
    /// built once per settings object (policies are resolved once per configuration, so a hit builds no string).
    /// </summary>
    public static string? CacheControl(CacheControlPolicy policy, bool entryAddressed)
    {
        var (settings, enabled) = policy.For(entryAddressed);
        return enabled ? CacheControlValues.GetValue(settings, s => new(Build(s))).Value : null;
    }

    private static string? Build(CacheControlSettings policy)
    {
        var parts = new List<string>();
        if (policy.Visibility is { } visibility) parts.Add(visibility);
        if (policy.MaxAge is { } maxAge) parts.Add($"max-age={maxAge}");
        if (policy.SMaxAge is { } sMaxAge) parts.Add($"s-maxage={sMaxAge}");
        if (policy.Revalidate is { } revalidate) parts.Add(revalidate);
        if (policy.StaleWhileRevalidate is { } swr) parts.Add($"stale-while-revalidate={swr}");
        if (policy.StaleIfError is { } sie) parts.Add($"stale-if-error={sie}");
        if (policy.Immutable) parts.Add("immutable");
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }
}

/// <summary>What a Range header asks of an object of known length (RFC 9110 §14).</summary>
internal abstract record RangeAnswer
{
    private RangeAnswer() { }

    /// <summary>Serve the whole object (no Range, several ranges, a stale If-Range, or a header we do not understand).</summary>
    public sealed record Whole : RangeAnswer;
    public sealed record Part(long Offset, long Length, long Total) : RangeAnswer;
    public sealed record Unsatisfiable(long Total) : RangeAnswer;

    public static RangeAnswer For(HttpRequest request, RequestHeaders headers, EntityTagHeaderValue etag, DateTimeOffset lastModified, long total)
    {
        if (!HttpMethods.IsGet(request.Method) || headers.Range is not { } range || range.Unit != "bytes" || range.Ranges.Count != 1)
            return new Whole();
        // If-Range: serve a part only of the representation the client already holds (strong comparison for tags).
        if (headers.IfRange is { } ifRange
            && (ifRange.EntityTag is { } tag ? !tag.Compare(etag, useStrongComparison: true) : ifRange.LastModified != lastModified))
            return new Whole();

        var item = range.Ranges.Single();
        long from, to;
        if (item.From is { } start)
        {
            if (start >= total) return new Unsatisfiable(total);
            from = start;
            to = item.To is { } end ? Math.Min(end, total - 1) : total - 1;
        }
        else if (item.To is { } suffix && suffix > 0)
        {
            from = Math.Max(0, total - suffix);
            to = total - 1;
        }
        else return new Unsatisfiable(total);
        return total == 0 ? new Unsatisfiable(total) : new Part(from, to - from + 1, total);
    }
}
