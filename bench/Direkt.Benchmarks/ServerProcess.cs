using System.Diagnostics;

namespace Direkt.Benchmarks;

/// <summary>A Direkt server in its own process on the embedded stores in a temporary folder, with its memory readings.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private ServerProcess(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
    }

    public HttpClient Client { get; }

    /// <summary>Starts the server; a setting whose value is null is removed from its environment (back to the default).</summary>
    public static async Task<ServerProcess> StartAsync(int port, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var folder = Directory.CreateTempSubdirectory("direkt-bench-").FullName;
        SideBySide.Children.TrackFolder(folder);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Direkt.dll")])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Every DIREKT_* variable is a configuration key: one left in the caller's shell would change or stop the server.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("DIREKT_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(key);
        start.Environment["DIREKT_HTTP__PORT"] = port.ToString();
        start.Environment["DIREKT_SOURCE__MULTIPART__MAX_BYTES"] = "2GB";
        start.Environment["DIREKT_LIMITS__MAX_TEMPORARY_BYTES"] = "4GB"; // must hold the largest upload (checked at start)
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        var process = Process.Start(start)!;
        SideBySide.Children.Track(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("server: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, folder, port);
        for (var i = 0; i < 200; i++)
        {
            try
            {
                if ((await server.Client.GetAsync("/health")).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("the server did not start");
    }

    /// <summary>Resets the kernel's peak-RSS mark (VmHWM) so the next reading is the peak of what follows.</summary>
    public void ResetPeak() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    public long ResidentBytes => Read("VmRSS");
    public long PeakResidentBytes => Read("VmHWM");

    private long Read(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
