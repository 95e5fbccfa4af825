using NetVips;

namespace Direkt.Tests.Support;

/// <summary>Images made in the test: known sizes and colours, encoded by libvips.</summary>
public static class TestImages
{
    public static byte[] Jpeg(int width, int height) => Gradient(width, height).JpegsaveBuffer(q: 90);

    public static byte[] Png(int width, int height, bool alpha = false)
    {
        using var image = Gradient(width, height);
        if (!alpha) return image.PngsaveBuffer();
        using var withAlpha = image.Bandjoin(255);
        return withAlpha.PngsaveBuffer();
    }

    public static byte[] Webp(int width, int height) => Gradient(width, height).WebpsaveBuffer(q: 80);

    /// <summary>An animated GIF: <paramref name="frames"/> pages of width × height, each a different grey.</summary>
    public static byte[] AnimatedGif(int width, int height, int frames)
    {
        var pages = Enumerable.Range(0, frames).Select(i => (Image.Black(width, height) + (i * 60 % 255)).Cast(Enums.BandFormat.Uchar)).ToArray();
        using var strip = Image.Arrayjoin(pages, across: 1);
        using var rgb = strip.Colourspace(Enums.Interpretation.Srgb);
        using var animated = rgb.Mutate(m =>
        {
            m.Set(GValue.GIntType, "page-height", height);
            m.Set(GValue.ArrayIntType, "delay", Enumerable.Repeat(100, frames).ToArray());
            m.Set(GValue.GIntType, "loop", 0);
        });
        foreach (var page in pages) page.Dispose();
        return animated.GifsaveBuffer();
    }

    private static Image Gradient(int width, int height)
    {
        using var x = Image.Xyz(width, height);
        using var r = x[0] * (255.0 / Math.Max(1, width - 1));
        using var g = x[1] * (255.0 / Math.Max(1, height - 1));
        using var b = (r + g) / 2;
        using var joined = r.Bandjoin(g, b);
        return joined.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
    }
}
