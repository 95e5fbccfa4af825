using System.Text;

namespace Direkt.Imaging;

/// <summary>Tells the format from the first bytes (magic numbers), never from names or client-sent types.</summary>
internal static class ImageSniffer
{
    /// <summary>How many leading bytes <see cref="Detect"/> looks at (SVG may start with a long XML prologue).</summary>
    public const int HeadLength = 1024;

    private static readonly string[] AvifBrands = ["avif", "avis"];
    private static readonly string[] HeicBrands = ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"];

    public static ImageFormat? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((byte[])[0xFF, 0xD8, 0xFF])) return ImageFormat.Jpeg;
        if (head.StartsWith((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return ImageFormat.Png;
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return ImageFormat.Gif;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return ImageFormat.Webp;
        if (head.StartsWith((byte[])[(byte)'I', (byte)'I', 0x2A, 0x00]) || head.StartsWith((byte[])[(byte)'M', (byte)'M', 0x00, 0x2A]))
            return ImageFormat.Tiff;
        if (head.StartsWith((byte[])[0xFF, 0x0A])
            || head.StartsWith((byte[])[0x00, 0x00, 0x00, 0x0C, (byte)'J', (byte)'X', (byte)'L', (byte)' ', 0x0D, 0x0A, 0x87, 0x0A]))
            return ImageFormat.Jxl;
        if (IsoBrand(head) is { } brand) return brand;
        return LooksLikeSvg(head) ? ImageFormat.Svg : null;
    }

    // ISO base media file: a box "ftyp" with a major brand and compatible brands.
    private static ImageFormat? IsoBrand(ReadOnlySpan<byte> head)
    {
        if (head.Length < 16 || !head[4..8].SequenceEqual("ftyp"u8)) return null;
        var boxSize = (head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3];
        if (boxSize < 16) return null;
        var end = Math.Min(boxSize, head.Length);
        var brands = new List<string> { Encoding.ASCII.GetString(head[8..12]) };
        for (var i = 16; i + 4 <= end; i += 4) brands.Add(Encoding.ASCII.GetString(head[i..(i + 4)]));
        if (brands.Any(AvifBrands.Contains)) return ImageFormat.Avif;
        if (brands.Any(HeicBrands.Contains)) return ImageFormat.Heic;
        return null;
    }

    private static bool LooksLikeSvg(ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(head[..Math.Min(head.Length, HeadLength)]).TrimStart('\uFEFF');
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (text.AsSpan(i).StartsWith("<?") ) i = Skip(text, i, "?>");
            else if (text.AsSpan(i).StartsWith("<!--")) i = Skip(text, i, "-->");
            else if (text.AsSpan(i).StartsWith("<!DOCTYPE", StringComparison.OrdinalIgnoreCase)) i = Skip(text, i, ">");
            else return text.AsSpan(i).StartsWith("<svg", StringComparison.Ordinal);
            if (i < 0) return false;
        }
    }

    private static int Skip(string text, int from, string end)
    {
        var at = text.IndexOf(end, from, StringComparison.Ordinal);
        return at < 0 ? -1 : at + end.Length;
    }
}
