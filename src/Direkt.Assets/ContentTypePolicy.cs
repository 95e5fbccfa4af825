using Direkt.Imaging;

namespace Direkt.Assets;

/// <summary>Applies a path's `allowed-content-types`: null allows every supported type; entries are format names or MIME types.</summary>
internal static class ContentTypePolicy
{
    public static bool Allows(IReadOnlyList<string>? allowed, ImageFormat format) =>
        allowed is null || allowed.Any(entry =>
            string.Equals(entry, format.MimeType, StringComparison.OrdinalIgnoreCase)
            || (ImageFormat.TryParse(entry, out var named) && named == format));
}
