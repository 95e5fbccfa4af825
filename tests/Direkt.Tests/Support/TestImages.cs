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

    /// <summary>A TIFF with five bands (RGB + two extra channels, "multiband"): legal input that many operations do not expect.</summary>
    public static byte[] FiveBandTiff(int width, int height)
    {
        using var image = Gradient(width, height);
        using var five = image.Bandjoin(128, 64);
        using var multiband = five.Copy(interpretation: Enums.Interpretation.Multiband);
        return multiband.TiffsaveBuffer();
    }

    /// <summary>A CMYK JPEG (print workflows upload these).</summary>
    public static byte[] CmykJpeg(int width, int height)
    {
        using var image = Gradient(width, height);
        using var cmyk = image.Colourspace(Enums.Interpretation.Cmyk);
        return cmyk.JpegsaveBuffer(q: 90);
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

/// <summary>Reading results back: decode with libvips and sample pixels.</summary>
public static class Pixels
{
    public static Image Decode(byte[] bytes, bool allPages = false) =>
        allPages ? Image.NewFromBuffer(bytes, "n=-1") : Image.NewFromBuffer(bytes);

    public static double[] At(byte[] bytes, int x, int y)
    {
        using var image = Decode(bytes);
        return image.Getpoint(x, y);
    }

    public static (int Width, int Height) Size(byte[] bytes)
    {
        using var image = Decode(bytes);
        return (image.Width, image.Height);
    }

    public static int Pages(byte[] bytes)
    {
        using var image = Decode(bytes);
        return image.GetTypeOf("n-pages") != IntPtr.Zero ? (int)image.Get("n-pages") : 1;
    }

    /// <summary>A PNG whose left half is pure red and right half pure blue.</summary>
    public static byte[] RedLeftBlueRight(int width, int height)
    {
        using var x = Image.Xyz(width, height)[0];
        using var left = x < width / 2;
        using var red = left.Ifthenelse(new double[] { 255, 0, 0 }, new double[] { 0, 0, 255 });
        using var rgb = red.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        return rgb.PngsaveBuffer();
    }

    /// <summary>A landscape JPEG (width &gt; height as stored) tagged with EXIF orientation 6 (display rotated 90° clockwise).</summary>
    public static byte[] JpegWithOrientation6(int width, int height)
    {
        using var image = Image.Black(width, height, bands: 3).Copy(interpretation: Enums.Interpretation.Srgb) + 128;
        using var cast = image.Cast(Enums.BandFormat.Uchar);
        using var tagged = cast.Mutate(m => m.Set(GValue.GIntType, "orientation", 6));
        return tagged.JpegsaveBuffer();
    }
}
