using System.Buffers.Binary;

namespace Direkt.Imaging.Rendering;

/// <summary>
/// Tells whether an embedded ICC profile describes sRGB, so a variant can drop it (browsers assume sRGB without one) and
/// keep only profiles that change how the pixels look (Display P3, Adobe RGB, …). A matrix/TRC RGB profile is sRGB when
/// its three colorants are sRGB's primaries (D50-adapted, as ICC stores them); anything else counts as not sRGB.
/// </summary>
internal static class IccProfiles
{
    private static readonly (string Tag, double X, double Y, double Z)[] SrgbColorants =
    [
        ("rXYZ", 0.4361, 0.2225, 0.0139),
        ("gXYZ", 0.3851, 0.7169, 0.0971),
        ("bXYZ", 0.1431, 0.0606, 0.7141),
    ];

    // Wide enough for the rounding of different sRGB profiles (HP's, ICC's sRGB2014, libvips' built-in), far narrower
    // than the distance to any other RGB space's primaries (Display P3's red is 0.515, Adobe RGB's 0.610).
    private const double Tolerance = 0.01;

    public static bool IsSrgb(ReadOnlySpan<byte> profile)
    {
        if (profile.Length < 132 || !profile[16..20].SequenceEqual("RGB "u8)) return false;
        var tags = BinaryPrimitives.ReadUInt32BigEndian(profile[128..]);
        foreach (var (tag, x, y, z) in SrgbColorants)
        {
            if (Colorant(profile, tags, tag) is not { } xyz) return false;
            if (Math.Abs(xyz.X - x) > Tolerance || Math.Abs(xyz.Y - y) > Tolerance || Math.Abs(xyz.Z - z) > Tolerance) return false;
        }
        return true;
    }

    private static (double X, double Y, double Z)? Colorant(ReadOnlySpan<byte> profile, uint tags, string signature)
    {
        for (var i = 0L; i < tags && 132 + (i + 1) * 12 <= profile.Length; i++)
        {
            var entry = profile.Slice(132 + (int)i * 12, 12);
            if (!entry[..4].SequenceEqual(System.Text.Encoding.ASCII.GetBytes(signature))) continue;
            var offset = BinaryPrimitives.ReadUInt32BigEndian(entry[4..]);
            if (offset + 20 > profile.Length || !profile.Slice((int)offset, 4).SequenceEqual("XYZ "u8)) return null;
            var data = profile.Slice((int)offset + 8, 12);
            return (Fixed(data), Fixed(data[4..]), Fixed(data[8..]));
        }
        return null;
    }

    private static double Fixed(ReadOnlySpan<byte> s15Fixed16) => BinaryPrimitives.ReadInt32BigEndian(s15Fixed16) / 65536.0;
}
