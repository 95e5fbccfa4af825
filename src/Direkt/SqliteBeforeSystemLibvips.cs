using System.Runtime.InteropServices;

namespace Direkt;

/// <summary>
/// Only in the build on the system's libvips (-p:DirektLibvips=system). Debian's libvips loads its openslide module at start,
/// which brings the system's libsqlite3 into the process's global symbol scope; the SQLite that Microsoft.Data.Sqlite bundles
/// (e_sqlite3) would then bind its own internal sqlite3_* calls to that other SQLite on first use and crash opening the
/// database (SIGSEGV in sqlite3Malloc). Loading e_sqlite3 first, into the global scope and with every symbol bound at once,
/// keeps its calls inside itself (and the never-used openslide binds to it instead).
/// </summary>
internal static class SqliteBeforeSystemLibvips
{
    private const int RtldNow = 0x2;
    private const int RtldGlobal = 0x100;

    public static void Load()
    {
#if DIREKT_SYSTEM_LIBVIPS
        if (!OperatingSystem.IsLinux()) return;
        var library = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "libe_sqlite3.so"),
            Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", "libe_sqlite3.so"),
            Path.Combine(AppContext.BaseDirectory, "runtimes", $"linux-{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}", "native", "libe_sqlite3.so"),
        }.FirstOrDefault(File.Exists);
        if (library is not null && DlOpen(library, RtldNow | RtldGlobal) == IntPtr.Zero)
            Console.Error.WriteLine($"warning: could not preload {library}; SQLite may fail next to the system libvips");
#endif
    }

    [DllImport("libc.so.6", EntryPoint = "dlopen")]
    private static extern IntPtr DlOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
}
