namespace Direkt.Imaging;

/// <summary>
/// Counts the scans (SOS markers) of a JPEG without decoding it. libjpeg decodes every scan of a progressive JPEG inside
/// one call that cannot be interrupted, and each scan walks every coefficient of the image, so a small crafted file with
/// thousands of scans pins a worker far beyond <c>job-timeout</c>. libjpeg-turbo's advice (its "progressive JPEG with an
/// excessive number of scans" note, <c>djpeg -maxscans</c>, <c>TJPARAM_SCANLIMIT</c>) is to count and refuse such files
/// before the decode.
/// </summary>
public static class JpegScans
{
    /// <summary>
    /// The most scans Direkt decodes. libjpeg's standard progression has 10 scans for colour and 6 for greyscale; mozjpeg's
    /// searched progressions and jpegtran scripts stay far below 100 (jpegtran itself refuses scripts of more than 100),
    /// while a file built to stall a decoder needs hundreds. One refinement scan per bit of every coefficient band of three
    /// components would already be thousands, so 100 leaves ten times the margin of any real encoder.
    /// </summary>
    public const int DefaultLimit = 100;

    private const int BufferSize = 64 * 1024;

    /// <summary>
    /// The number of SOS markers in the stream, counting at most up to <paramref name="stopAfter"/> (no need to read on once
    /// past the limit). A truncated or malformed stream yields the scans seen so far: judging corruption is libvips' job.
    /// </summary>
    public static int Count(Stream stream, int stopAfter = int.MaxValue)
    {
        var reader = new ByteReader(stream);
        if (reader.Next() != 0xFF || reader.Next() != 0xD8) return 0; // no SOI: not a JPEG
        var scans = 0;
        var marker = NextMarker(reader);
        while (marker >= 0)
        {
            switch (marker)
            {
                case 0xD9: // EOI
                    return scans;
                case >= 0xD0 and <= 0xD7: // RSTn outside entropy-coded data: no payload
                case 0x01: // TEM: no payload
                    marker = NextMarker(reader);
                    break;
                case 0xDA: // SOS: header, then entropy-coded data up to the next real marker
                    scans++;
                    if (scans >= stopAfter || !SkipSegment(reader)) return scans;
                    marker = SkipEntropyCodedData(reader);
                    break;
                default: // every other marker carries a two-byte length that counts itself
                    if (!SkipSegment(reader)) return scans;
                    marker = NextMarker(reader);
                    break;
            }
        }
        return scans;
    }

    /// <summary>The next marker code: 0xFF, any fill bytes (0xFF), then the code. -1 at the end or on garbage.</summary>
    private static int NextMarker(ByteReader reader)
    {
        if (reader.Next() != 0xFF) return -1;
        int code;
        do code = reader.Next(); while (code == 0xFF);
        return code;
    }

    private static bool SkipSegment(ByteReader reader)
    {
        var high = reader.Next();
        var low = reader.Next();
        if (high < 0 || low < 0) return false;
        var length = (high << 8) | low;
        return length >= 2 && reader.Skip(length - 2);
    }

    /// <summary>
    /// Skips entropy-coded data: inside it 0xFF 0x00 is a stuffed data byte and 0xFF 0xD0–0xD7 a restart marker, both part
    /// of the scan; 0xFF followed by anything else (after fill bytes) ends it. Returns that marker's code, or -1 at the end.
    /// </summary>
    private static int SkipEntropyCodedData(ByteReader reader)
    {
        while (reader.SkipTo(0xFF))
        {
            int code;
            do code = reader.Next(); while (code == 0xFF);
            if (code < 0) return -1;
            if (code == 0x00 || code is >= 0xD0 and <= 0xD7) continue;
            return code;
        }
        return -1;
    }

    /// <summary>A forward-only reader over a buffered stream that can jump to the next given byte with a vectorized search.</summary>
    private sealed class ByteReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[BufferSize];
        private int _position;
        private int _length;

        public int Next()
        {
            if (_position == _length && !Fill()) return -1;
            return _buffer[_position++];
        }

        public bool Skip(int count)
        {
            while (count > 0)
            {
                if (_position == _length && !Fill()) return false;
                var step = Math.Min(count, _length - _position);
                _position += step;
                count -= step;
            }
            return true;
        }

        /// <summary>Consumes bytes up to and including the next <paramref name="value"/>; false at the end of the stream.</summary>
        public bool SkipTo(byte value)
        {
            while (true)
            {
                if (_position == _length && !Fill()) return false;
                var at = _buffer.AsSpan(_position, _length - _position).IndexOf(value);
                if (at >= 0)
                {
                    _position += at + 1;
                    return true;
                }
                _position = _length;
            }
        }

        private bool Fill()
        {
            _length = stream.Read(_buffer, 0, _buffer.Length);
            _position = 0;
            return _length > 0;
        }
    }
}
