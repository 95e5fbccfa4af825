namespace Direkt.Variants;

/// <summary>
/// `limits.max-variants-per-asset`: how many generated variants one asset may have stored (follows reloads). Past it, a new
/// variant is generated and served but not stored; eager variants are skipped.
/// </summary>
public sealed class VariantStorageRule(Func<int> maxPerAsset)
{
    public const int DefaultMaxPerAsset = 1000;

    public static VariantStorageRule Default { get; } = new(() => DefaultMaxPerAsset);

    public int MaxPerAsset => maxPerAsset();
}
