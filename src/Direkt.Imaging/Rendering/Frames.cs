using NetVips;

namespace Direkt.Imaging.Rendering;

/// <summary>
/// Animated images are a vertical strip of frames ("page-height"). Geometric steps must work frame by frame, or a
/// vertical flip would reverse the animation and a rotation would turn the strip sideways.
/// </summary>
internal static class Frames
{
    public static int PageHeight(Image image) =>
        image.GetTypeOf("page-height") != IntPtr.Zero && image.Get("page-height") is int h && h > 0 && image.Height % h == 0 ? h : image.Height;

    public static Image Map(Image image, bool animated, Func<Image, Image> step)
    {
        var pageHeight = PageHeight(image);
        if (!animated || pageHeight == image.Height) return step(image);

        var count = image.Height / pageHeight;
        var frames = new Image[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                using var frame = image.ExtractArea(0, i * pageHeight, image.Width, pageHeight);
                frames[i] = step(frame);
            }
            using var joined = Image.Arrayjoin(frames, across: 1);
            var newPageHeight = frames[0].Height;
            return joined.Mutate(m => m.Set(GValue.GIntType, "page-height", newPageHeight));
        }
        finally
        {
            foreach (var frame in frames) frame?.Dispose();
        }
    }
}
