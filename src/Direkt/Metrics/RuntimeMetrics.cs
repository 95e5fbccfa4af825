using Prometheus;

namespace Direkt.Metrics;

/// <summary>
/// Process and .NET runtime series: prometheus-net's process collector (CPU, virtual and working-set memory, handles,
/// threads, start time, GC collection counts), plus what it lacks and a libvips server needs — the resident set read from
/// /proc (libvips memory is native and invisible to the GC), open file descriptors, the GC heap per generation, and the
/// thread pool. All are read at scrape time.
/// </summary>
internal static class RuntimeMetrics
{
    private static readonly string[] Generations = ["gen0", "gen1", "gen2", "loh", "poh"];

    public static void Register(CollectorRegistry registry)
    {
        DotNetStats.Register(registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var resident = factory.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes (native libvips memory included).");
        var fds = factory.CreateGauge("process_open_fds", "Open file descriptors.");
        var heap = factory.CreateGauge("dotnet_gc_heap_size_bytes", "GC heap size per generation after the last collection.", "generation");
        var allocated = factory.CreateCounter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the GC heap since start.");
        var pause = factory.CreateCounter("dotnet_gc_pause_seconds_total", "Time the GC paused the process since start.");
        var threads = factory.CreateGauge("dotnet_thread_pool_threads", "Thread pool threads.");
        var queue = factory.CreateGauge("dotnet_thread_pool_queue_length", "Work items waiting for a thread pool thread.");
        var completed = factory.CreateCounter("dotnet_thread_pool_completed_items_total", "Work items the thread pool has run since start.");
        var generations = Generations.Select(g => heap.WithLabels(g)).ToArray();

        registry.AddBeforeCollectCallback(() =>
        {
            resident.Set(ResidentBytes());
            fds.Set(OpenFileDescriptors());
            var info = GC.GetGCMemoryInfo();
            for (var i = 0; i < generations.Length; i++)
                generations[i].Set(i < info.GenerationInfo.Length ? info.GenerationInfo[i].SizeAfterBytes : 0);
            allocated.IncTo(GC.GetTotalAllocatedBytes());
            pause.IncTo(GC.GetTotalPauseDuration().TotalSeconds);
            threads.Set(ThreadPool.ThreadCount);
            queue.Set(ThreadPool.PendingWorkItemCount);
            completed.IncTo(ThreadPool.CompletedWorkItemCount);
        });
    }

    // /proc/self/statm: size, resident, … in pages. Elsewhere the working set is the closest number.
    private static double ResidentBytes()
    {
        try
        {
            var fields = File.ReadAllText("/proc/self/statm").Split(' ');
            return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * (double)Environment.SystemPageSize;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return Environment.WorkingSet;
        }
    }

    private static double OpenFileDescriptors()
    {
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            return process.HandleCount;
        }
    }
}
