using System.Text.Json.Serialization;
using Direkt.Storage.Records;

namespace Direkt.Http.Assets;

/// <summary>The JSON shapes of API.md §3: asset information and links.</summary>
internal static class AssetRepresentations
{
    public sealed record AssetInfo(
        [property: JsonPropertyName("class")] string Class,
        string Path,
        long EntryId,
        string? Alt,
        IReadOnlyDictionary<string, string> Labels,
        IReadOnlyList<string> Tags,
        string Source,
        string? SourceUrl,
        IReadOnlyList<VariantInfo> Variants,
        string CreatedAt,
        string ModifiedAt);

    public sealed record VariantInfo(
        bool IsOriginalVariant,
        IReadOnlyDictionary<string, string>? Transformation,
        string StoreBucket,
        string StoreKey,
        AttributesInfo Attributes,
        LqipInfo? Lqip);

    public sealed record AttributesInfo(int Width, int Height, string Format, int PageCount, int Loop, string ColorSpace, long Bytes);

    public sealed record LqipInfo(string? Blurhash, string? Thumbhash);

    public sealed record Link(string Url, string? Alt, LqipInfo? Lqip);

    public static AssetInfo Info(AssetRecord record) => new(
        "image", record.Path, record.EntryId, record.Alt, record.Labels, record.Tags, record.Source, record.SourceUrl,
        record.Variants.Select(Variant).ToList(), Time(record.CreatedAt), Time(record.ModifiedAt));

    public static Link LinkTo(AssetRecord record, string contentUrl) =>
        new(contentUrl, record.Alt, Lqip(record.OriginalVariant.Lqip));

    private static VariantInfo Variant(VariantRecord v) => new(
        v.IsOriginalVariant, Direkt.Assets.Transformations.TransformationResolver.Explicit(v.Transformation), v.StoreBucket, v.StoreKey,
        new AttributesInfo(v.Attributes.Width, v.Attributes.Height, v.Attributes.Format, v.Attributes.PageCount, v.Attributes.Loop,
            v.Attributes.ColorSpace, v.Attributes.Bytes),
        Lqip(v.Lqip));

    private static LqipInfo? Lqip(Storage.Records.Lqip? lqip) => lqip is null ? null : new LqipInfo(lqip.Blurhash, lqip.Thumbhash);

    /// <summary>ISO 8601 UTC with milliseconds, e.g. 2026-11-22T10:00:00.000Z.</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
