using NetVips;

namespace Direkt.Imaging;

/// <summary>One-time libvips set-up for a server: no operation cache (it only grows memory when every request is another
/// image), a chosen number of threads per operation, no leak reports, and only the loaders Direkt uses.</summary>
public static class LibvipsRuntime
{
    private static readonly object Lock = new();
    private static bool _initialized;

    /// <summary>
    /// True once every libvips loader except those of <see cref="ImageFormat"/> and every operation libvips marks untrusted
    /// are blocked (libvips 8.13 or later). Older libvips still never reaches them through Direkt (<see cref="SourceLoader"/>),
    /// but only this makes libvips itself refuse them.
    /// </summary>
    public static bool LoadersRestricted { get; private set; }

    /// <summary>The loaded libvips, e.g. "8.18.7".</summary>
    public static string Version => $"{NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}";

    /// <summary>Bytes libvips has allocated through its own tracked allocator now (pixel buffers; not the codecs' own memory).</summary>
    public static long TrackedMemory => (long)NetVips.Stats.Mem;

    /// <summary>The most <see cref="TrackedMemory"/> has been since the process started.</summary>
    public static long TrackedMemoryHighwater => (long)NetVips.Stats.MemHighwater;

    public static string Initialize(int concurrency)
    {
        lock (Lock)
        {
            if (!_initialized)
            {
                Cache.Max = 0;
                Cache.MaxFiles = 0;
                Cache.MaxMem = 0;
                NetVips.NetVips.Leak = false;
                LoadersRestricted = RestrictLoaders();
                _initialized = true;
            }
            if (concurrency > 0) NetVips.NetVips.Concurrency = concurrency;
            return Version;
        }
    }

    // Block and unblock work on libvips class names and apply to the whole subtree, so unblocking e.g.
    // VipsForeignLoadJpeg allows its file, buffer and source loaders together.
    private static bool RestrictLoaders()
    {
        if (!NetVips.NetVips.AtLeastLibvips(8, 13)) return false;
        NetVips.NetVips.BlockUntrusted = true;
        Operation.Block("VipsForeignLoad", true);
        foreach (var loaderClass in ImageFormat.All.Select(f => f.LoaderClass).OfType<string>().Distinct())
            Operation.Block(loaderClass, false);
        return true;
    }
}
