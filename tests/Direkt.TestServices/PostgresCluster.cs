using System.Diagnostics;

namespace Direkt.TestServices;

/// <summary>
/// A PostgreSQL cluster of a test's own, for fault injection: it can be stopped at once (as a crash or outage looks to
/// Direkt) and started again on the same port and data. Runs as the `postgres` user when the tests run as root.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("direkt-pg-").FullName;
    private string Data => Path.Combine(_folder, "data");

    public int Port { get; } = LoopbackPorts.Free();
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public async Task InitializeAsync()
    {
        File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        if (IsRoot) await RunAsync("chown", "postgres:", _folder);
        await RunPostgresToolAsync("initdb", "-D", Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
        await StartAsync();
    }

    public Task StartAsync() => RunPostgresToolAsync("pg_ctl", "-D", Data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60", "start",
        "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {_folder} -c fsync=off");

    /// <summary>Stops the server without a checkpoint (immediate mode): connections drop as in a crash.</summary>
    public Task StopAsync() => RunPostgresToolAsync("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop");

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); } catch (InvalidOperationException) { }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static Task RunPostgresToolAsync(string tool, params string[] arguments)
    {
        var path = Path.Combine(TestEnvironment.PostgresBinaries, tool);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
    }
}
