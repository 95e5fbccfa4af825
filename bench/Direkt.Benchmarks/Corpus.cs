using NetVips;

namespace Direkt.Benchmarks;

/// <summary>
/// Photo-like test images (smooth gradients with fine noise, which JPEG compresses like camera photos rather than flat
/// colour), written once to the temporary folder and reused. No real photo corpus is available offline here.
/// </summary>
internal static class Corpus
{
    public static readonly (int Width, int Height)[] Sizes = [(1600, 1200), (2400, 1600), (3000, 2000), (4000, 3000), (5472, 3648), (2000, 3000)];

    public static IReadOnlyList<string> Files() => Sizes.Select(s => File(s.Width, s.Height, progressive: false)).ToList();

    public static string File(int width, int height, bool progressive)
    {
        var path = Path.Combine(Path.GetTempPath(), $"direkt-bench-{width}x{height}-{(progressive ? "progressive" : "baseline")}.jpg");
        if (System.IO.File.Exists(path)) return path;
        using var xyz = Image.Xyz(width, height);
        using var x = xyz[0];
        using var y = xyz[1];
        using var noise = Image.Gaussnoise(width, height, sigma: 12, mean: 0);
        using var r = (x * (255.0 / width)) + noise;
        using var g = (y * (255.0 / height)) + noise;
        using var b = ((x + y) * (127.0 / (width + height) * 2)) + noise;
        using var rgb = r.Bandjoin(g, b).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        rgb.Jpegsave(path, q: 85, interlace: progressive);
        return path;
    }
}
