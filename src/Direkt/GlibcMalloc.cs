using System.Runtime.InteropServices;

namespace Direkt;

/// <summary>
/// Makes glibc return large native buffers to the system when they are freed. libvips allocates image buffers from every
/// worker thread; glibc serves allocations below its mmap threshold from per-thread arenas that keep freed memory for reuse,
/// and it raises that threshold (up to 32 MiB) each time a mapped buffer is freed — so after the first decoded original
/// or encoder buffer came and went, buffers of several MiB stay in arenas and the resident size creeps up. A fixed 1 MiB
/// threshold keeps every whole-image buffer mapped. Measured on the side-by-side misses with the decode cache on
/// (docs/benchmarks.md): peak RSS 596–644 MiB with glibc's default, ~487 MiB with a fixed 1 or 4 MiB, the same throughput.
/// Limiting the arenas (MALLOC_ARENA_MAX=2) helps as much but only from the environment: the runtime's threads have
/// made their arenas before Main. An operator's own MALLOC_MMAP_THRESHOLD_ wins; other C libraries (musl) are left alone.
/// </summary>
internal static class GlibcMalloc
{
    public const int MmapThreshold = 1024 * 1024;
    private const int MmapThresholdOption = -3; // M_MMAP_THRESHOLD in malloc.h

    /// <summary>Called first thing in Main, before libvips starts.</summary>
    public static void ReturnLargeBuffers()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null) return;
        try
        {
            Mallopt(MmapThresholdOption, MmapThreshold);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc.
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int Mallopt(int option, int value);
}
