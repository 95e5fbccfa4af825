namespace Direkt.Variants;

/// <summary>Background work asked for a variant of an asset that may store no more of them (`limits.max-variants-per-asset`).</summary>
public sealed class VariantLimitReachedException(string message) : Exception(message);
