using Direkt.Imaging;
using Direkt.Storage.Objects;

namespace Direkt.Assets;

/// <summary>An opened variant: its bytes and what the HTTP layer needs to describe them.</summary>
public sealed class AssetContent(StoredObject stored, string mediaType, string extension) : IAsyncDisposable
{
    public Stream Stream => stored.Content;
    public long Length => stored.Length;
    public string MediaType { get; } = mediaType;
    public string Extension { get; } = extension;

    public static AssetContent For(StoredObject stored, string formatName)
    {
        var (mediaType, extension) = Describe(formatName);
        return new AssetContent(stored, mediaType, extension);
    }

    /// <summary>The media type and file extension of a stored format name.</summary>
    public static (string MediaType, string Extension) Describe(string formatName) =>
        ImageFormat.TryParse(formatName, out var format) ? (format!.MimeType, format.Extension) : ("application/octet-stream", "bin");

    public ValueTask DisposeAsync() => stored.DisposeAsync();
}
