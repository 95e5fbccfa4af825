namespace Direkt.Assets;

/// <summary>Where a new asset's bytes came from: a multipart upload, or a URL the server fetched.</summary>
public sealed record AssetOrigin(string Source, string? SourceUrl)
{
    public static AssetOrigin Upload { get; } = new("upload", null);
}
