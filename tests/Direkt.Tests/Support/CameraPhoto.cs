using System.Buffers.Binary;
using System.Text;
using NetVips;

namespace Direkt.Tests.Support;

/// <summary>
/// A JPEG like a phone camera writes: photo-like pixels, an EXIF block with the camera's make, GPS coordinates and an
/// embedded thumbnail (tens of KB), an XMP packet and IPTC data — the metadata segments spliced in byte by byte, so the
/// fixture does not depend on what libvips chooses to write.
/// </summary>
public static class CameraPhoto
{
    public const string Make = "DirektCam";
    public const string Caption = "DirektCaption";

    public static byte[] Jpeg(int width, int height, string? iccProfile = null)
    {
        using var pixels = Photo(width, height);
        using var profiled = iccProfile is null ? pixels.Copy() : pixels.IccTransform(iccProfile, inputProfile: "srgb");
        var jpeg = profiled.JpegsaveBuffer(q: 92, keep: iccProfile is null ? Enums.ForeignKeep.None : Enums.ForeignKeep.Icc);
        using var small = Photo(320, 240);
        var thumbnail = small.JpegsaveBuffer(q: 95, keep: Enums.ForeignKeep.None);
        byte[][] segments = [App(0xE1, [.. "Exif\0\0"u8, .. Exif(thumbnail)]), App(0xE1, Xmp()), App(0xED, Iptc())];
        // After SOI (and libvips' JFIF APP0), before everything else.
        var insertAt = jpeg[3] == 0xE0 ? 4 + ((jpeg[4] << 8) | jpeg[5]) : 2;
        return [.. jpeg[..insertAt], .. segments.SelectMany(s => s), .. jpeg[insertAt..]];
    }

    /// <summary>Smooth gradients with fine noise: compresses like a photograph, not like a flat test card.</summary>
    public static Image Photo(int width, int height)
    {
        using var x = Image.Xyz(width, height);
        using var r = x[0] * (200.0 / width) + 30;
        using var g = x[1] * (180.0 / height) + 40;
        using var b = (r + g) / 2;
        using var noise = Image.Gaussnoise(width, height, sigma: 12, mean: 0);
        using var rgb = r.Bandjoin(g, b) + noise;
        return rgb.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
    }

    private static byte[] App(byte marker, byte[] payload) =>
        [0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2), .. payload];

    /// <summary>TIFF (little-endian): IFD0 with Make and the GPS pointer, the GPS IFD (N 51° 30′ 26″, W 0° 7′ 39″), IFD1 with the thumbnail.</summary>
    private static byte[] Exif(byte[] thumbnail)
    {
        var tiff = new List<byte>("II*\0"u8.ToArray());
        Int(tiff, 8);
        const int ifd0 = 8, ifd0Entries = 2;
        const int gps = ifd0 + 2 + ifd0Entries * 12 + 4, gpsEntries = 4;
        const int gpsData = gps + 2 + gpsEntries * 12 + 4; // two ASCII refs fit inline; 2 × 3 rationals out of line
        const int make = gpsData + 48;
        var ifd1 = make + Make.Length + 1 + 1; // keep it even
        const int ifd1Entries = 3;
        var thumbnailAt = ifd1 + 2 + ifd1Entries * 12 + 4;

        Ifd(tiff, [(0x010F, 2, Make.Length + 1, make), (0x8825, 4, 1, gps)], next: ifd1);
        Ifd(tiff, [(0x0001, 2, 2, 'N'), (0x0002, 5, 3, gpsData), (0x0003, 2, 2, 'W'), (0x0004, 5, 3, gpsData + 24)], next: 0);
        foreach (var (n, d) in new[] { (51, 1), (30, 1), (2600, 100), (0, 1), (7, 1), (3900, 100) }) { Int(tiff, n); Int(tiff, d); }
        tiff.AddRange(Encoding.ASCII.GetBytes(Make + "\0\0"));
        Ifd(tiff, [(0x0103, 3, 1, 6), (0x0201, 4, 1, thumbnailAt), (0x0202, 4, 1, thumbnail.Length)], next: 0);
        tiff.AddRange(thumbnail);
        return [.. tiff];
    }

    private static void Ifd(List<byte> tiff, (int Tag, int Type, int Count, int Value)[] entries, int next)
    {
        Short(tiff, entries.Length);
        foreach (var (tag, type, count, value) in entries)
        {
            Short(tiff, tag);
            Short(tiff, type);
            Int(tiff, count);
            Int(tiff, value); // offset, or the value itself (a SHORT or a 1-character ASCII string fits, little-endian)
        }
        Int(tiff, next);
    }

    private static void Short(List<byte> bytes, int value)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)value);
        bytes.AddRange(b);
    }

    private static void Int(List<byte> bytes, int value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        bytes.AddRange(b);
    }

    private static byte[] Xmp() =>
    [
        .. "http://ns.adobe.com/xap/1.0/\0"u8,
        .. Encoding.UTF8.GetBytes("""
            <?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.43N" exif:GPSLongitude="0,7.65W"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>
            """),
    ];

    /// <summary>Photoshop's APP13: an 8BIM resource 0x0404 holding one IPTC dataset, 2:120 (caption).</summary>
    private static byte[] Iptc()
    {
        byte[] dataset = [0x1C, 0x02, 0x78, 0x00, (byte)Caption.Length, .. Encoding.ASCII.GetBytes(Caption)];
        if (dataset.Length % 2 == 1) dataset = [.. dataset, 0];
        return [.. "Photoshop 3.0\0"u8, .. "8BIM"u8, 0x04, 0x04, 0, 0, 0, 0, 0, (byte)dataset.Length, .. dataset];
    }
}
