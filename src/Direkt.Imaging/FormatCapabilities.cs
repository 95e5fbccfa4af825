using NetVips;

namespace Direkt.Imaging;

/// <summary>
/// What the loaded libvips can really read and write, found at start-up by encoding a tiny image in each format
/// (a saver can exist and still fail, e.g. heifsave without an HEVC encoder).
/// </summary>
public sealed class FormatCapabilities
{
    private readonly HashSet<ImageFormat> _writable;
    private readonly HashSet<ImageFormat> _readable;

    public FormatCapabilities(IEnumerable<ImageFormat> writable, IEnumerable<ImageFormat> readable)
    {
        _writable = [.. writable];
        _readable = [.. readable];
    }

    public IReadOnlyList<ImageFormat> Writable => ImageFormat.All.Where(_writable.Contains).ToList();
    public IReadOnlyList<ImageFormat> Readable => ImageFormat.All.Where(_readable.Contains).ToList();

    public bool CanWrite(ImageFormat format) => _writable.Contains(format);
    public bool CanRead(ImageFormat format) => _readable.Contains(format);

    public static FormatCapabilities Detect()
    {
        using var sample = Image.Black(8, 8, bands: 3).Copy(interpretation: Enums.Interpretation.Srgb);
        var encoders = new (ImageFormat Format, Func<Image, byte[]> Encode)[]
        {
            (ImageFormat.Jpeg, i => i.JpegsaveBuffer()),
            (ImageFormat.Png, i => i.PngsaveBuffer()),
            (ImageFormat.Webp, i => i.WebpsaveBuffer()),
            (ImageFormat.Avif, i => i.HeifsaveBuffer(compression: Enums.ForeignHeifCompression.Av1, effort: 0)),
            (ImageFormat.Heic, i => i.HeifsaveBuffer(compression: Enums.ForeignHeifCompression.Hevc)),
            (ImageFormat.Gif, i => i.GifsaveBuffer()),
            (ImageFormat.Tiff, i => i.TiffsaveBuffer()),
            (ImageFormat.Jxl, i => i.JxlsaveBuffer()),
        };

        var writable = new List<ImageFormat>();
        var readable = new List<ImageFormat>();
        foreach (var (format, encode) in encoders)
        {
            byte[] bytes;
            try
            {
                bytes = encode(sample);
            }
            catch (Exception e) when (e is VipsException or EntryPointNotFoundException or InvalidOperationException)
            {
                if (HasOperation(LoaderOf(format))) readable.Add(format); // a loader without a saver (e.g. jxlload only)
                continue;
            }
            writable.Add(format);
            try
            {
                using var decoded = Image.NewFromBuffer(bytes);
                if (decoded.Width == 8) readable.Add(format);
            }
            catch (VipsException) { }
        }
        if (HasOperation("svgload_buffer")) readable.Add(ImageFormat.Svg);
        return new FormatCapabilities(writable, readable);
    }

    private static string LoaderOf(ImageFormat format) => format.Name switch
    {
        "jpg" => "jpegload_buffer",
        "avif" or "heic" => "heifload_buffer-never", // needs a real sample to know the codec; handled by encoding above
        "tiff" => "tiffload_buffer",
        var name => name + "load_buffer",
    };

    private static bool HasOperation(string name) => NetVips.NetVips.TypeFind("VipsOperation", name) != IntPtr.Zero;
}
