using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Direkt.Benchmarks.SideBySide;

/// <summary>A peer server (nginx, ipx, the Kestrel static app) in its own process, killed with its children at the end.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _name;

    private ChildProcess(string name, Process process)
    {
        _name = name;
        _process = process;
    }

    public static async Task<ChildProcess> StartAsync(string name, string file, IEnumerable<string> arguments, int port)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        Children.Track(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"{name}: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var child = new ChildProcess(name, process);
        await child.WaitForPortAsync(port);
        return child;
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 300; i++)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{_name} exited with code {_process.ExitCode}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) { await Task.Delay(100); }
        }
        throw new InvalidOperationException($"{_name} did not listen on port {port} within 30 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

/// <summary>
/// Servers the harness started are killed, and its temporary folders removed, when it is interrupted (Ctrl-C, SIGTERM) too,
/// not left holding their ports and disk: the disposals of a normal end do not run then.
/// </summary>
internal static class Children
{
    private static readonly List<Process> Running = [];
    private static readonly List<string> Folders = [];

    // Kept referenced: a registration that is collected stops handling its signal. The default action (exit) follows.
    private static readonly PosixSignalRegistration[] Signals =
        [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, _ => KillAll()))];

    public static void Track(Process process)
    {
        lock (Running) Running.Add(process);
    }

    public static void TrackFolder(string folder)
    {
        lock (Folders) Folders.Add(folder);
    }

    private static void KillAll()
    {
        lock (Running)
            foreach (var process in Running)
            {
                try
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                        process.WaitForExit(5000);
                    }
                }
                catch (InvalidOperationException) { } // exited meanwhile, or already disposed
            }
        lock (Folders)
            foreach (var folder in Folders.Where(Directory.Exists))
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException) { }
            }
    }
}
