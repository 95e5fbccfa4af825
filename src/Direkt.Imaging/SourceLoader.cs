using NetVips;

namespace Direkt.Imaging;

/// <summary>
/// The one way Direkt opens an image file for libvips: the format comes from the file's own bytes
/// (<see cref="ImageSniffer"/>) and the file is read by that format's loader (<see cref="ImageFormat.Loader"/>), never by
/// whatever libvips would guess, so the sniffer and the loader always agree. A file libvips would hand to a different
/// loader (a polyglot) is refused; formats without a loader (SVG) and every other libvips loader (PDF, vips, matrix,
/// CSV, …) are never reached. <see cref="LibvipsRuntime"/> also blocks all other loaders inside libvips.
/// </summary>
internal static class SourceLoader
{
    private const string Accepted = "JPEG, PNG, WebP, AVIF, GIF, TIFF";

    /// <summary>The format of the file by its first bytes; <see cref="UnsupportedImageException"/> when Direkt never decodes it.</summary>
    public static ImageFormat Sniff(string path)
    {
        var head = new byte[ImageSniffer.HeadLength];
        int read;
        using (var file = File.OpenRead(path))
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var format = ImageSniffer.Detect(head.AsSpan(0, read))
            ?? throw new UnsupportedImageException($"The content is not an image format Direkt accepts ({Accepted}).");
        if (format.Loader is null) throw new UnsupportedImageException($"{format.Name.ToUpperInvariant()} uploads are not accepted.");
        return format;
    }

    /// <summary>Refuses a JPEG with more scans than <paramref name="maxScans"/> before libjpeg sees it (<see cref="JpegScans"/>).</summary>
    public static void CheckScans(string path, ImageFormat format, int maxScans)
    {
        if (format != ImageFormat.Jpeg) return;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var scans = JpegScans.Count(file, stopAfter: maxScans + 1);
        if (scans > maxScans)
            throw new ImageTooComplexException(
                $"The JPEG has more than {maxScans} scans (progressive passes); Direkt decodes at most {maxScans}.");
    }

    /// <summary>The header (and lazily the pixels) through the format's own loader.</summary>
    public static Image Header(string path, ImageFormat format) =>
        (Image)Operation.Call(format.Loader!, new VOption { { "access", Enums.Access.Sequential } }, path);

    /// <summary>
    /// libvips' <c>thumbnail</c> (load with shrink-on-load, auto-orient, resize) when libvips' own detection picks the
    /// format's loader; when libvips recognises no format at all but the format's loader reads the file (an AVIF whose
    /// major brand is <c>avis</c>, an image sequence), the explicit loader followed by a resize. Anything else is refused.
    /// </summary>
    public static Image Thumbnail(string path, ImageFormat format, bool allPages, int width, int? height = null,
        Enums.Size? size = null, Enums.Interesting? crop = null, Enums.FailOn? failOn = null)
    {
        if (LibvipsAgrees(path, format))
            return Image.Thumbnail(allPages ? path + "[n=-1]" : path, width, height: height, size: size, crop: crop, failOn: failOn);

        var options = new VOption();
        if (allPages) options.Add("n", -1);
        if (failOn is { } fail) options.Add("fail_on", fail);
        using var loaded = (Image)Operation.Call(format.Loader!, options, path);
        return loaded.ThumbnailImage(width, height: height, size: size, crop: crop, failOn: failOn);
    }

    /// <summary>
    /// The first page decoded at <paramref name="shrink"/> (1 for formats without shrink-on-load) by the format's loader,
    /// not yet oriented, lazily: what <c>thumbnail</c> resizes when it opens the file itself. The same polyglot check.
    /// </summary>
    public static Image Decode(string path, ImageFormat format, int shrink)
    {
        LibvipsAgrees(path, format);
        var options = new VOption { { "access", Enums.Access.Sequential }, { "fail_on", Enums.FailOn.Error } };
        if (shrink > 1) options.Add("shrink", shrink);
        return (Image)Operation.Call(format.Loader!, options, path);
    }

    // True when libvips' own detection picks the format's loader, false when it recognises nothing; a file it would hand to
    // another loader is refused.
    private static bool LibvipsAgrees(string path, ImageFormat format)
    {
        var libvipsChoice = Image.FindLoad(path);
        // Debian's libvips has an ImageMagick module that claims almost any file (an `avis` AVIF among them); it is blocked
        // (LibvipsRuntime), so its claim means no more than "libvips recognises nothing of its own".
        if (libvipsChoice?.StartsWith("VipsForeignLoadMagick", StringComparison.Ordinal) == true) libvipsChoice = null;
        if (libvipsChoice == format.LoaderClass + "File") return true;
        if (!string.IsNullOrEmpty(libvipsChoice))
            throw new UnsupportedImageException($"The file starts like {format.Name} but is also something else; it is not accepted.");
        return false;
    }
}
