namespace Direkt.Storage.Records;

/// <summary>
/// The shape every repository enforces on variants: exactly one original (no transformation) recorded with the asset,
/// generated variants (with a transformation) added afterwards. Checked up front so all backends refuse the same input.
/// </summary>
internal static class VariantRules
{
    public static void RequireOriginal(NewAsset asset)
    {
        if (!asset.OriginalVariant.IsOriginalVariant || asset.OriginalVariant.Transformation is not null)
            throw new ArgumentException("the original variant must be marked original and have no transformation", nameof(asset));
    }

    public static void RequireGenerated(VariantRecord variant)
    {
        if (variant.IsOriginalVariant || string.IsNullOrEmpty(variant.Transformation))
            throw new ArgumentException("a generated variant must have a transformation and not be marked original", nameof(variant));
    }
}
