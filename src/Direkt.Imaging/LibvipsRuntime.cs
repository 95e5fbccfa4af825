using NetVips;

namespace Direkt.Imaging;

/// <summary>One-time libvips set-up for a server: no operation cache (it only grows memory when every request is another
/// image), a chosen number of threads per operation, no leak reports.</summary>
public static class LibvipsRuntime
{
    private static readonly object Lock = new();
    private static bool _initialized;

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
                _initialized = true;
            }
            if (concurrency > 0) NetVips.NetVips.Concurrency = concurrency;
            return $"{NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}";
        }
    }
}
