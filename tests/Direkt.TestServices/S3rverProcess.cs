using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Direkt.TestServices;

/// <summary>
/// An s3rver of a test's own, for fault injection: it can be killed and started again on the same port and data folder,
/// as an S3 outage and recovery look to Direkt.
/// </summary>
public sealed class S3rverProcess : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("direkt-s3rver-").FullName;
    private Process? _process;

    public int Port { get; } = LoopbackPorts.Free();
    public string Endpoint => $"http://127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--openssl-legacy-provider", TestEnvironment.S3rverScript, "-d", _folder, "-a", "127.0.0.1", "-p", Port.ToString(), "--silent" })
            info.ArgumentList.Add(argument);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (_process.HasExited) throw new InvalidOperationException($"s3rver exited with {_process.ExitCode}");
            try
            {
                using var response = await http.GetAsync(Endpoint);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("s3rver did not start within 10 s");
    }

    /// <summary>Kills the server at once (no graceful close): connections are refused until <see cref="StartAsync"/>.</summary>
    public async Task KillAsync()
    {
        if (_process is null) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
