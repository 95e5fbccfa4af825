using NetVips;

namespace Direkt.Imaging;

/// <summary>
/// What the loaded libvips can really read and write, found at start-up by encoding a tiny image with each format's saver
/// and decoding it with that format's loader (<see cref="ImageFormat"/>): a saver can exist and still fail, e.g. heifsave
/// without an HEVC encoder. A format without a loader (SVG) is never readable.
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
    /// <summary>Formats with a libvips loader or saver that this libvips can neither read nor write fully (logged at start).</summary>
    public IReadOnlyList<ImageFormat> Missing => ImageFormat.All.Where(f => (f.Loader is not null && !CanRead(f)) || (f.Encodable && !CanWrite(f))).ToList();

    /// <summary>Why <paramref name="format"/> cannot be read here, naming the decoder the loaded libvips lacks.</summary>
    public string MissingDecoder(ImageFormat format) =>
        $"This server cannot decode {format.MimeType}: its libvips ({LibvipsRuntime.Version}) has no {format.Codec} decoder ({format.Loader}). "
        + "Direkt built with -p:DirektLibvips=system on a libvips that has one (Debian 12's libvips42) reads it; see docs/deploy.md.";

    /// <summary>Why <paramref name="format"/> cannot be written here, naming the encoder the loaded libvips lacks.</summary>
    public string MissingEncoder(ImageFormat format) =>
        $"this server's libvips ({LibvipsRuntime.Version}) has no {format.Codec} encoder ({format.Saver?.Operation ?? "none"})";

    public bool CanWrite(ImageFormat format) => _writable.Contains(format);
    public bool CanRead(ImageFormat format) => _readable.Contains(format);

    public static FormatCapabilities Detect()
    {
        using var sample = Image.Black(8, 8, bands: 3).Copy(interpretation: Enums.Interpretation.Srgb);
        var writable = new List<ImageFormat>();
        var readable = new List<ImageFormat>();
        foreach (var format in ImageFormat.All)
        {
            if (format.Loader is null) continue;
            if (format.Saver is null || Encode(sample, format) is not { } bytes)
            {
                // A loader without a working saver (e.g. jxlload only) reads the format; a loader shared by several
                // formats (heifload: AVIF and HEIC) says nothing about this format's codec, which only the encoding proved.
                if (HasOperation(format.Loader) && ImageFormat.All.Count(f => f.Loader == format.Loader) == 1) readable.Add(format);
                continue;
            }
            writable.Add(format);
            if (Decodes(bytes, format)) readable.Add(format);
        }
        return new FormatCapabilities(writable, readable);
    }

    private static byte[]? Encode(Image sample, ImageFormat format)
    {
        try
        {
            return format.Saver!.SaveToBuffer(sample, new SaveSettings(format.DefaultQuality, Enums.ForeignKeep.None));
        }
        catch (Exception e) when (e is VipsException or EntryPointNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool Decodes(byte[] bytes, ImageFormat format)
    {
        try
        {
            using var decoded = (Image)Operation.Call(format.Loader + "_buffer", bytes);
            return decoded.Width == 8;
        }
        catch (VipsException)
        {
            return false;
        }
    }

    private static bool HasOperation(string name) => NetVips.NetVips.TypeFind("VipsOperation", name) != IntPtr.Zero;
}
