namespace Direkt.Variants;

/// <summary>
/// A generation lost its source under it: the original's object is missing, or the asset was deleted before the variant could
/// be recorded. Usually a DELETE or an expiry racing the request; the caller looks again and answers from what it finds then
/// (404 when the asset is gone).
/// </summary>
public sealed class VariantSourceGoneException(string message) : Exception(message);
