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

    /// <summary>Savers take `keep` (libvips 8.15); older ones only `strip` (<see cref="LegacyKeep"/>).</summary>
    public static bool HasKeep => NetVips.NetVips.AtLeastLibvips(8, 15);

    /// <summary>
    /// Which libvips this build uses: "bundled" (NetVips.Native) or "system" (built with -p:DirektLibvips=system, which ships no
    /// libvips), and the file the process really mapped (Linux), so the start-up log proves which one was loaded.
    /// </summary>
    public static string Library
    {
        get
        {
#if DIREKT_SYSTEM_LIBVIPS
            const string build = "system";
#else
            const string build = "bundled";
#endif
            var mapped = File.Exists("/proc/self/maps")
                ? File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    .Where(f => f.Length >= 6 && Path.GetFileName(f[5]).StartsWith("libvips.so", StringComparison.Ordinal)).Select(f => f[5]).FirstOrDefault()
                : null;
            return mapped is null ? build : $"{build}: {mapped}";
        }
    }

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
        // Savers write Direkt's own pixels, never user bytes; libvips before 8.15 marks jxlsave untrusted, which would block it.
        foreach (var saver in ImageFormat.All.Select(f => f.Saver?.Operation).OfType<string>().Distinct())
        foreach (var name in new[] { saver, saver + "_buffer" })
        {
            // Blocking works on class names (VipsForeignSaveJxlBuffer), not nicknames (jxlsave_buffer).
            var type = NetVips.NetVips.TypeFind("VipsOperation", name);
            if (type != IntPtr.Zero) Operation.Block(NetVips.NetVips.TypeName(type), false);
        }
        return true;
    }
}
