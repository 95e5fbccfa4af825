using NetVips;

namespace Direkt.Imaging;

/// <summary>
/// The image formats Direkt knows and everything Direkt needs to know about each, in one place (like imgproxy's
/// <c>imagetype.Type</c>): the names a client may use, the MIME type and file extension, the libvips loader that reads it
/// and the saver that writes it, the default quality, and whether it keeps alpha or animation. The parser's format choices,
/// the normalizer's defaults, negotiation, the encoder and capability detection all read these entries; nothing else
/// spells out a format.
/// </summary>
public sealed class ImageFormat
{
    private ImageFormat(string name, string mimeType, string extension)
    {
        Name = name;
        MimeType = mimeType;
        Extension = extension;
    }

    /// <summary>The canonical short name (`format=` value, `attributes.format`, the `negotiate` list).</summary>
    public string Name { get; }
    /// <summary>Other names accepted for it (`jpeg`, `tif`).</summary>
    public IReadOnlyList<string> Aliases { get; private init; } = [];
    public string MimeType { get; }
    public string Extension { get; }
    /// <summary>The codec libvips needs for it, as problem details and start-up logs name it (e.g. "HEIF/HEVC").</summary>
    public string Codec { get; private init; } = "";
    public bool SupportsAlpha { get; private init; }
    public bool SupportsAnimation { get; private init; }
    /// <summary>The quality a lossy format is written with when `q` is not given; null for formats without a quality setting.</summary>
    public int? DefaultQuality { get; private init; }
    /// <summary>Formats without a quality setting (png, gif, tiff as Direkt writes it): `q` has no effect and is dropped.</summary>
    public bool Lossless => DefaultQuality is null;

    /// <summary>
    /// The libvips file loader (nickname, e.g. <c>jpegload</c>) that reads this format, as libvips also reports it in the
    /// image's <c>vips-loader</c> field; null for a format Direkt never decodes (SVG).
    /// </summary>
    public string? Loader { get; private init; }
    /// <summary>
    /// The libvips class above that loader's file, buffer and source variants (e.g. <c>VipsForeignLoadJpeg</c>): what
    /// <see cref="LibvipsRuntime"/> unblocks, and the prefix of the class <c>vips_foreign_find_load</c> names for a file.
    /// </summary>
    internal string? LoaderClass { get; private init; }
    /// <summary>How libvips writes it: the saver and its options; null for a format Direkt never writes.</summary>
    internal FormatSaver? Saver { get; private init; }

    /// <summary>
    /// Whether a decoded copy of an original in this format may be kept for later jobs (<see cref="Rendering.DecodedOriginals"/>),
    /// and the shrink factors its loader decodes at, largest first (libjpeg's DCT scaling: 8, 4, 2). A copy decoded at the
    /// shrink libvips' <c>thumbnail</c> would pick gives the very pixels <c>thumbnail</c> gives, so only formats whose
    /// thumbnail load is modelled here are kept: JPEG and PNG (no shrink). WebP (libwebp's scaler), TIFF (pyramid pages),
    /// HEIF (embedded thumbnails) and the animated formats load differently and are always decoded afresh. Null: never kept.
    /// </summary>
    internal IReadOnlyList<int>? DecodeShrinks { get; private init; }

    /// <summary>Whether Direkt would write this format at all (the loaded libvips may still lack the encoder: <see cref="FormatCapabilities"/>).</summary>
    public bool Encodable => Saver is not null;

    /// <summary>
    /// AVIF effort (0 fastest – 9 smallest). Measured on the benchmark photos at 800 px, q=80, one libvips thread (libvips
    /// 8.18.7): effort 2 wrote 258 KiB in 1.3 s, 3 wrote 233 KiB in 2.0 s, 4 (libvips' and sharp's default) 227 KiB in 9.9 s.
    /// 3 takes most of the saving for a fraction of 4's time: an on-demand AVIF stays a few hundred milliseconds. The default
    /// of `variant-generation.avif-effort` (<see cref="Rendering.EncodingSettings"/>).
    /// </summary>
    public const int AvifEffort = 3;

    public static readonly ImageFormat Jpeg = new("jpg", "image/jpeg", "jpg")
    {
        Codec = "JPEG",
        Aliases = ["jpeg"], DefaultQuality = 80, Loader = "jpegload", LoaderClass = "VipsForeignLoadJpeg", DecodeShrinks = [8, 4, 2],
        // Baseline (not interlaced) with optimized Huffman tables: smaller than libjpeg's defaults at no visible cost.
        Saver = new("jpegsave", () => new VOption { { "optimize_coding", true }, { "interlace", false } }),
    };

    public static readonly ImageFormat Png = new("png", "image/png", "png")
    {
        Codec = "PNG",
        SupportsAlpha = true, Loader = "pngload", LoaderClass = "VipsForeignLoadPng", DecodeShrinks = [],
        Saver = new("pngsave", () => new VOption()),
    };

    public static readonly ImageFormat Webp = new("webp", "image/webp", "webp")
    {
        Codec = "WebP",
        SupportsAlpha = true, SupportsAnimation = true, DefaultQuality = 80, Loader = "webpload", LoaderClass = "VipsForeignLoadWebp",
        Saver = new("webpsave", () => new VOption()),
    };

    public static readonly ImageFormat Avif = new("avif", "image/avif", "avif")
    {
        Codec = "AVIF (AV1)",
        SupportsAlpha = true, DefaultQuality = 50, Loader = "heifload", LoaderClass = "VipsForeignLoadHeif",
        // Full-resolution chroma (4:4:4, sharp's AVIF default): on the benchmark photos at q=80 and effort 3 no more bytes
        // than libvips' 4:2:0 below q=90 (231 against 233 KiB) for 13 % more encode time, and colour edges stay sharp.
        Saver = new("heifsave", () => new VOption
        {
            { "compression", Enums.ForeignHeifCompression.Av1 }, { "effort", AvifEffort }, { "subsample_mode", Enums.ForeignSubsample.Off },
        }),
    };

    public static readonly ImageFormat Heic = new("heic", "image/heic", "heic")
    {
        Codec = "HEIF/HEVC (libheif with an HEVC decoder)",
        SupportsAlpha = true, DefaultQuality = 50, Loader = "heifload", LoaderClass = "VipsForeignLoadHeif",
        Saver = new("heifsave", () => new VOption { { "compression", Enums.ForeignHeifCompression.Hevc } }),
    };

    public static readonly ImageFormat Gif = new("gif", "image/gif", "gif")
    {
        Codec = "GIF",
        SupportsAlpha = true, SupportsAnimation = true, Loader = "gifload", LoaderClass = "VipsForeignLoadNsgif",
        Saver = new("gifsave", () => new VOption()),
    };

    public static readonly ImageFormat Tiff = new("tiff", "image/tiff", "tif")
    {
        Codec = "TIFF",
        Aliases = ["tif"], SupportsAlpha = true, Loader = "tiffload", LoaderClass = "VipsForeignLoadTiff",
        Saver = new("tiffsave", () => new VOption { { "compression", Enums.ForeignTiffCompression.Deflate } }),
    };

    public static readonly ImageFormat Jxl = new("jxl", "image/jxl", "jxl")
    {
        Codec = "JPEG XL (libjxl)",
        SupportsAlpha = true, DefaultQuality = 90, Loader = "jxlload", LoaderClass = "VipsForeignLoadJxl",
        Saver = new("jxlsave", () => new VOption()),
    };

    /// <summary>Recognised only to be refused: scripts and external references make SVG unsafe to decode for a server.</summary>
    public static readonly ImageFormat Svg = new("svg", "image/svg+xml", "svg") { SupportsAlpha = true };

    /// <summary>Every format, in documentation order.</summary>
    public static IReadOnlyList<ImageFormat> All { get; } = [Jpeg, Png, Webp, Avif, Gif, Tiff, Jxl, Heic, Svg];

    /// <summary>The formats a request may ask for: every format with a saver.</summary>
    public static IReadOnlyList<ImageFormat> Requestable { get; } = All.Where(f => f.Encodable).ToList();

    /// <summary>By name (jpg, png, …) or alias (jpeg, tif), case-insensitive.</summary>
    public static bool TryParse(string name, out ImageFormat? format)
    {
        format = All.FirstOrDefault(f => f.Names.Contains(name, StringComparer.OrdinalIgnoreCase));
        return format is not null;
    }

    /// <summary>The name and the aliases.</summary>
    public IEnumerable<string> Names => Aliases.Prepend(Name);

    public override string ToString() => Name;
}

/// <summary>
/// What the encoder is told besides the format: the quality (null for formats without one), the metadata to keep and, for a
/// saver with an <c>effort</c> option, an effort other than its own (null: the saver's).
/// </summary>
internal sealed record SaveSettings(int? Quality, Enums.ForeignKeep Keep, int? Effort = null);

/// <summary>A libvips saver (nickname, e.g. <c>jpegsave</c>) and the options Direkt always writes it with.</summary>
internal sealed record FormatSaver(string Operation, Func<VOption> Options)
{
    public void SaveToFile(Image image, string path, SaveSettings settings)
    {
        using var kept = LegacyKeep.Apply(image, settings.Keep);
        NetVips.Operation.Call(Operation, WithKeep(settings), kept ?? image, path);
    }

    public byte[] SaveToBuffer(Image image, SaveSettings settings)
    {
        using var kept = LegacyKeep.Apply(image, settings.Keep);
        return (byte[])NetVips.Operation.Call(Operation + "_buffer", WithKeep(settings), kept ?? image);
    }

    private VOption WithKeep(SaveSettings settings)
    {
        var options = Options();
        if (settings.Quality is { } quality) options.Add("Q", quality);
        if (settings.Effort is { } effort && options.ContainsKey("effort")) options["effort"] = effort;
        if (LibvipsRuntime.HasKeep) options.Add("keep", settings.Keep);
        else if (settings.Keep == Enums.ForeignKeep.None) options.Add("strip", true);
        return options;
    }
}

/// <summary>
/// Savers before libvips 8.15 (Debian 12 has 8.14) have no `keep`, only `strip` (all or nothing): keeping some metadata means
/// not stripping and removing the unwanted fields from a copy of the image first.
/// </summary>
internal static class LegacyKeep
{
    private static readonly (Enums.ForeignKeep Kind, string Field)[] Fields =
    [
        (Enums.ForeignKeep.Exif, "exif-data"), (Enums.ForeignKeep.Xmp, "xmp-data"), (Enums.ForeignKeep.Iptc, "iptc-data"),
        (Enums.ForeignKeep.Icc, "icc-profile-data"),
    ];

    /// <summary>A copy without the fields <paramref name="keep"/> drops, or null when nothing needs removing (or `keep` exists).</summary>
    public static Image? Apply(Image image, Enums.ForeignKeep keep)
    {
        if (LibvipsRuntime.HasKeep || keep == Enums.ForeignKeep.None) return null;
        var drop = Fields.Where(f => !keep.HasFlag(f.Kind) && image.Contains(f.Field)).Select(f => f.Field).ToList();
        return drop.Count == 0 ? null : image.Mutate(m => { foreach (var field in drop) m.Remove(field); });
    }
}
