using System.Runtime.CompilerServices;
using Direkt.Assets;
using Direkt.Storage.Records;
using Microsoft.Net.Http.Headers;

namespace Direkt.Http.Assets;

/// <summary>
/// The response header values of one stored variant of one asset version, computed once: a hit then hashes, formats and escapes
/// nothing. Kept beside the variant record itself (<see cref="ConditionalWeakTable{TKey,TValue}"/>), so they live exactly as
/// long as the cached lookup that hands out that record, and need no bound or expiry of their own.
/// </summary>
public sealed class VariantHeaders
{
    private static readonly ConditionalWeakTable<VariantRecord, VariantHeaders> Computed = new();

    private VariantHeaders(AssetRecord record, VariantRecord variant)
    {
        ModifiedAt = record.ModifiedAt;
        Alt = record.Alt;
        EntityTag = HttpCaching.EntityTag(record, variant);
        ETag = EntityTag.ToString();
        LastModified = HttpCaching.LastModified(record, variant);
        LastModifiedText = HeaderUtilities.FormatDate(LastModified);
        (ContentType, Extension) = AssetContent.Describe(variant.Attributes.Format);
        EscapedAlt = record.Alt is { } alt ? Uri.EscapeDataString(alt) : null;
    }

    public EntityTagHeaderValue EntityTag { get; }
    public string ETag { get; }
    public DateTimeOffset LastModified { get; }
    public string LastModifiedText { get; }
    public string ContentType { get; }
    public string Extension { get; }
    public string? EscapedAlt { get; }
    private DateTimeOffset ModifiedAt { get; }
    private string? Alt { get; }

    /// <summary>The headers of <paramref name="variant"/> as part of <paramref name="record"/> (its version: modifiedAt and alt).</summary>
    public static VariantHeaders For(AssetRecord record, VariantRecord variant)
    {
        if (Computed.TryGetValue(variant, out var headers) && headers.ModifiedAt == record.ModifiedAt && headers.Alt == record.Alt)
            return headers;
        headers = new VariantHeaders(record, variant);
        Computed.AddOrUpdate(variant, headers);
        return headers;
    }
}
