namespace Direkt.Imaging;

/// <summary>The image formats Direkt knows, by their canonical short names.</summary>
public sealed class ImageFormat
{
    private ImageFormat(string name, string mimeType, string extension, bool alpha, bool animation, bool lossless)
    {
        Name = name;
        MimeType = mimeType;
        Extension = extension;
        SupportsAlpha = alpha;
        SupportsAnimation = animation;
        Lossless = lossless;
    }

    public string Name { get; }
    public string MimeType { get; }
    public string Extension { get; }
    public bool SupportsAlpha { get; }
    public bool SupportsAnimation { get; }
    /// <summary>Formats without a quality setting (png, gif, tiff as Direkt writes it).</summary>
    public bool Lossless { get; }

    public static readonly ImageFormat Jpeg = new("jpg", "image/jpeg", "jpg", alpha: false, animation: false, lossless: false);
    public static readonly ImageFormat Png = new("png", "image/png", "png", alpha: true, animation: false, lossless: true);
    public static readonly ImageFormat Webp = new("webp", "image/webp", "webp", alpha: true, animation: true, lossless: false);
    public static readonly ImageFormat Avif = new("avif", "image/avif", "avif", alpha: true, animation: false, lossless: false);
    public static readonly ImageFormat Heic = new("heic", "image/heic", "heic", alpha: true, animation: false, lossless: false);
    public static readonly ImageFormat Gif = new("gif", "image/gif", "gif", alpha: true, animation: true, lossless: true);
    public static readonly ImageFormat Tiff = new("tiff", "image/tiff", "tif", alpha: true, animation: false, lossless: true);
    public static readonly ImageFormat Jxl = new("jxl", "image/jxl", "jxl", alpha: true, animation: false, lossless: false);
    public static readonly ImageFormat Svg = new("svg", "image/svg+xml", "svg", alpha: true, animation: false, lossless: true);

    public static IReadOnlyList<ImageFormat> All { get; } = [Jpeg, Png, Webp, Avif, Heic, Gif, Tiff, Jxl, Svg];

    /// <summary>By name (jpg, png, …) with the aliases jpeg and tif, case-insensitive.</summary>
    public static bool TryParse(string name, out ImageFormat? format)
    {
        var normalized = name.ToLowerInvariant() switch { "jpeg" => "jpg", "tif" => "tiff", var n => n };
        format = All.FirstOrDefault(f => f.Name == normalized);
        return format is not null;
    }

    public override string ToString() => Name;
}
