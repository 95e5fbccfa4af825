using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Direkt.TestServices;

/// <summary>
/// nginx as a caching reverse proxy in front of one upstream, the way a CDN or a caching load balancer fronts Direkt.
/// Responses carry `X-Cache-Status` (MISS, HIT, REVALIDATED, EXPIRED, …) from nginx's $upstream_cache_status.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("direkt-nginx-").FullName;
    private Process? _process;

    public int Port { get; } = LoopbackPorts.Free();
    public Uri Address => new($"http://127.0.0.1:{Port}");

    public async Task StartAsync(Uri upstream)
    {
        foreach (var sub in new[] { "cache", "temp" }) Directory.CreateDirectory(Path.Combine(_folder, sub));
        var config = Path.Combine(_folder, "nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            worker_processes 1;
            pid {{_folder}}/nginx.pid;
            events { worker_connections 64; }
            http {
              access_log {{_folder}}/access.log;
              client_body_temp_path {{_folder}}/temp/body;
              proxy_temp_path {{_folder}}/temp/proxy;
              fastcgi_temp_path {{_folder}}/temp/fastcgi;
              uwsgi_temp_path {{_folder}}/temp/uwsgi;
              scgi_temp_path {{_folder}}/temp/scgi;
              proxy_cache_path {{_folder}}/cache levels=1:2 keys_zone=direkt:1m max_size=64m inactive=10m use_temp_path=off;
              server {
                listen 127.0.0.1:{{Port}};
                location / {
                  proxy_pass {{upstream.GetLeftPart(UriPartial.Authority)}};
                  proxy_http_version 1.1;
                  proxy_cache direkt;
                  proxy_cache_revalidate on;
                  add_header X-Cache-Status $upstream_cache_status always;
                }
              }
            }
            """);
        var info = new ProcessStartInfo(TestEnvironment.Nginx) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", _folder, "-c", config, "-e", Path.Combine(_folder, "error.log"),
                     "-g", Environment.UserName == "root" ? "daemon off; user root;" : "daemon off;" })
            info.ArgumentList.Add(argument);
        _process = Process.Start(info)!;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"nginx exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}"
                    + (File.Exists(Path.Combine(_folder, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(_folder, "error.log")) : ""));
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) { await Task.Delay(100); }
        }
        throw new TimeoutException("nginx did not start within 10 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
