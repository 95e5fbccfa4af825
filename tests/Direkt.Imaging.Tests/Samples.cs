using NetVips;

namespace Direkt.Imaging.Tests;

/// <summary>Images made in the test with libvips, written to temporary files.</summary>
public sealed class Samples : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("direkt-imaging-").FullName;

    public string Write(byte[] bytes, string name = "sample")
    {
        var path = Path.Combine(_folder, name + "-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static Image Rgb(int width, int height)
    {
        using var x = Image.Xyz(width, height);
        using var r = x[0] * (255.0 / Math.Max(1, width - 1));
        using var g = x[1] * (255.0 / Math.Max(1, height - 1));
        using var joined = r.Bandjoin(g, 128);
        return joined.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
    }

    public static byte[] AnimatedGif(int width, int height, int frames)
    {
        var pages = Enumerable.Range(0, frames).Select(i => Rgb(width, height) * (1.0 - i * 0.1)).ToArray();
        using var strip = Image.Arrayjoin(pages, across: 1).Cast(Enums.BandFormat.Uchar);
        using var animated = strip.Mutate(m =>
        {
            m.Set(GValue.GIntType, "page-height", height);
            m.Set(GValue.ArrayIntType, "delay", Enumerable.Repeat(100, frames).ToArray());
            m.Set(GValue.GIntType, "loop", 3);
        });
        foreach (var page in pages) page.Dispose();
        return animated.GifsaveBuffer();
    }

    /// <summary>A PNG whose header claims <paramref name="width"/> × <paramref name="height"/> but carries almost no data.</summary>
    public static byte[] PngBomb(int width, int height)
    {
        var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        Chunk(output, "IHDR", ihdr);
        Chunk(output, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeAndData = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typeAndData);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        output.Write(crc);
    }

    // PNG's CRC-32 (ISO 3309), bit by bit: short and only for test data.
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
