namespace Direkt.Storage.Records;

/// <summary>One stored asset: an image at an application path, with its information and its variants.</summary>
public sealed record AssetRecord
{
    /// <summary>The application path without the /assets prefix, e.g. "/users/123/avatar".</summary>
    public required string Path { get; init; }

    /// <summary>Per-path counter starting at 0; never reused, even after deletes.</summary>
    public required long EntryId { get; init; }

    public string? Alt { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>"upload" or "url".</summary>
    public required string Source { get; init; }
    public string? SourceUrl { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ModifiedAt { get; init; }

    /// <summary>The original variant first, then the generated variants in creation order.</summary>
    public required IReadOnlyList<VariantRecord> Variants { get; init; }

    public VariantRecord OriginalVariant => Variants.First(v => v.IsOriginalVariant);
}

/// <summary>A stored rendition of an asset. The original variant has no transformation.</summary>
public sealed record VariantRecord
{
    public required bool IsOriginalVariant { get; init; }

    /// <summary>The canonical transformation string (normalized); null for the original variant.</summary>
    public string? Transformation { get; init; }

    public required string StoreBucket { get; init; }
    public required string StoreKey { get; init; }
    public required VariantAttributes Attributes { get; init; }
    public Lqip? Lqip { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the variant was last served (recorded coarsely, for idle expiry); null until then.</summary>
    public DateTimeOffset? AccessedAt { get; init; }

    /// <summary>
    /// The bytes of a variant generated but not stored (its asset already has `limits.max-variants-per-asset` variants): served
    /// from memory and never recorded; its <see cref="StoreKey"/> names no object. Null for every stored variant.
    /// </summary>
    public byte[]? UnstoredBytes { get; init; }
}

/// <summary>What libvips reported about stored bytes.</summary>
public sealed record VariantAttributes(int Width, int Height, string Format, int PageCount, int Loop, string ColorSpace, long Bytes);

/// <summary>Low-quality image placeholders computed from a tiny thumbnail.</summary>
public sealed record Lqip(string? Blurhash, string? Thumbhash);
