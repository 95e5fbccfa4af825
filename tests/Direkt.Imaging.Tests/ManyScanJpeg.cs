namespace Direkt.Imaging.Tests;

/// <summary>
/// Writes a valid progressive greyscale JPEG with as many scans as asked, byte by byte (jpegtran's scan scripts stop at
/// 100). The picture is a checkerboard of flat 8×8 blocks (grey 96 and 160), so every AC coefficient is zero: the DC scan
/// carries the picture, and each AC scan — one per coefficient band, first pass at point transform A, then a refinement
/// pass per bit down to 0 — codes every block as end-of-band. libjpeg decodes it like any progressive JPEG.
/// </summary>
public static class ManyScanJpeg
{
    public const byte Dark = 96;
    public const byte Light = 160;

    /// <summary>1 DC scan + 63 bands × (<paramref name="refinementsPerBand"/> + 1) AC scans.</summary>
    public static int ScanCount(int refinementsPerBand) => 1 + 63 * (refinementsPerBand + 1);

    public static byte[] Build(int width, int height, int refinementsPerBand)
    {
        var output = new MemoryStream();
        output.Write([0xFF, 0xD8]); // SOI
        // Quantization: 16 for DC (flat blocks give DC = ±256, coded as ±16), 1 elsewhere (all zero anyway).
        Segment(output, 0xDB, [0x00, 16, .. Enumerable.Repeat((byte)1, 63)]);
        // SOF2 (progressive, Huffman): 8 bits, one component, 1×1 sampling, table 0.
        Segment(output, 0xC2, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0]);
        // DC table: the 12 size categories, each a 4-bit code equal to its number.
        Segment(output, 0xC4, [0x00, 0, 0, 0, 12, .. new byte[12], .. Enumerable.Range(0, 12).Select(i => (byte)i)]);
        // AC table: one symbol, 0x00 (end of band), coded as the single bit 0.
        Segment(output, 0xC4, [0x10, 1, .. new byte[15], 0x00]);

        var (blocksAcross, blocksDown) = ((width + 7) / 8, (height + 7) / 8);
        Scan(output, ss: 0, se: 0, ah: 0, al: 0, bits =>
        {
            var previous = 0;
            for (var by = 0; by < blocksDown; by++)
            for (var bx = 0; bx < blocksAcross; bx++)
            {
                var dc = (bx + by) % 2 == 0 ? -16 : 16; // (96 - 128) × 8 / 16 and (160 - 128) × 8 / 16
                var diff = dc - previous;
                previous = dc;
                var category = diff == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(diff));
                bits.Write(category, 4);
                if (category > 0) bits.Write(diff > 0 ? diff : diff + (1 << category) - 1, category);
            }
        });
        for (var band = 1; band < 64; band++)
        {
            var al = refinementsPerBand;
            Scan(output, band, band, ah: 0, al, bits => EndOfBandInEveryBlock(bits, blocksAcross * blocksDown));
            for (var ah = al; ah > 0; ah--)
                Scan(output, band, band, ah, ah - 1, bits => EndOfBandInEveryBlock(bits, blocksAcross * blocksDown));
        }
        output.Write([0xFF, 0xD9]); // EOI
        return output.ToArray();
    }

    private static void EndOfBandInEveryBlock(BitWriter bits, int blocks)
    {
        for (var i = 0; i < blocks; i++) bits.Write(0, 1);
    }

    private static void Scan(MemoryStream output, int ss, int se, int ah, int al, Action<BitWriter> data)
    {
        Segment(output, 0xDA, [1, 1, 0x00, (byte)ss, (byte)se, (byte)((ah << 4) | al)]);
        var bits = new BitWriter(output);
        data(bits);
        bits.Flush();
    }

    private static void Segment(Stream output, byte marker, byte[] payload)
    {
        output.Write([0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2)]);
        output.Write(payload);
    }

    /// <summary>Entropy-coded bits, most significant first, with 0xFF stuffed as 0xFF 0x00 and 1-bits padding the last byte.</summary>
    private sealed class BitWriter(Stream output)
    {
        private int _byte;
        private int _count;

        public void Write(int value, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                _byte = (_byte << 1) | ((value >> i) & 1);
                if (++_count == 8) Emit();
            }
        }

        public void Flush()
        {
            while (_count != 0) Write(1, 1);
        }

        private void Emit()
        {
            output.WriteByte((byte)_byte);
            if (_byte == 0xFF) output.WriteByte(0x00);
            (_byte, _count) = (0, 0);
        }
    }
}
