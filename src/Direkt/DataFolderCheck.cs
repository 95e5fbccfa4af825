using System.Runtime.InteropServices;
using Direkt.Configuration.Loading;

namespace Direkt;

/// <summary>
/// Before the stores start: the folders the embedded stores write (the SQLite database's folder, the filesystem store's root)
/// must be writable by this process. A bind mount owned by root stops the image's uid-10001 process here, with a message that
/// says which folder, which uid, and how to fix it — rather than a database error later.
/// </summary>
internal static class DataFolderCheck
{
    public static void Run(DirektConfiguration configuration)
    {
        var o = configuration.Options;
        if (o.DataStore.Provider == "sqlite") Writable(Path.GetDirectoryName(Path.GetFullPath(o.DataStore.Sqlite.Path))!);
        if (o.ObjectStore.Provider == "filesystem") Writable(Path.GetFullPath(o.ObjectStore.Filesystem.Root));
    }

    public static void Writable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".direkt-write-check-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(Explain(folder, e), e);
        }
    }

    private static string Explain(string folder, Exception e)
    {
        var who = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? $"uid {geteuid()}" : Environment.UserName;
        return $"cannot write to the data folder {folder} ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)}). Direkt runs as {who}; the folder (in Docker: the volume or " +
            $"bind mount at /app/data) must be writable by that user, e.g. on the host: chown -R 10001:10001 ./data " +
            "(docs/deploy.md, \"Data folder\").";
    }

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
