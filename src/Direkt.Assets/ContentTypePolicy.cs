using Direkt.Imaging;

namespace Direkt.Assets;

/// <summary>Applies a path's `allowed-content-types`: null allows every supported type; entries are format names or MIME types.</summary>
public static class ContentTypePolicy
{
    /// <summary>True for the MIME type of a format Direkt knows (image/jpeg, image/png, …), as upload tokens name them.</summary>
    public static bool IsImageMimeType(string mimeType) => ImageFormat.All.Any(f => f.MimeType == mimeType);

    public static bool Allows(IReadOnlyList<string>? allowed, ImageFormat format) =>
        allowed is null || allowed.Any(entry =>
            string.Equals(entry, format.MimeType, StringComparison.OrdinalIgnoreCase)
            || (ImageFormat.TryParse(entry, out var named) && named == format));
}
