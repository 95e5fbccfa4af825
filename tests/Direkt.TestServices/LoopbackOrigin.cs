using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Direkt.TestServices;

/// <summary>One request as the origin saw it.</summary>
public sealed record OriginRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A deliberately raw HTTP/1.1 origin on 127.0.0.1 and a free port: it reads one request per connection and lets the test
/// write the response bytes itself, so a test can send exactly the framing it needs (lying or absent Content-Length,
/// chunked bodies, a stalled response). It counts accepted connections, which is how tests prove a refused fetch never
/// opened one.
/// </summary>
public sealed class LoopbackOrigin : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<OriginRequest, Stream, CancellationToken, Task> _respond;
    private readonly X509Certificate2? _certificate;
    private readonly ConcurrentQueue<OriginRequest> _requests = new();
    private readonly Task _accepting;
    private int _connections;

    public LoopbackOrigin(Func<OriginRequest, Stream, CancellationToken, Task> respond, X509Certificate2? certificate = null)
    {
        _respond = respond;
        _certificate = certificate;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Connections => Volatile.Read(ref _connections);
    public IReadOnlyList<OriginRequest> Requests => [.. _requests];

    /// <summary>An origin that answers every request with 200 and <paramref name="body"/>.</summary>
    public static LoopbackOrigin Serving(byte[] body, string contentType = "image/png") =>
        new((_, stream, ct) => Respond(stream, 200, body, ct, $"Content-Type: {contentType}", $"Content-Length: {body.Length}"));

    /// <summary>An origin that answers every request with a redirect to <paramref name="location"/>.</summary>
    public static LoopbackOrigin Redirecting(Func<OriginRequest, string> location, int status = 302) =>
        new((request, stream, ct) => Respond(stream, status, [], ct, $"Location: {location(request)}", "Content-Length: 0"));

    /// <summary>Writes a status line, the given header lines, `Connection: close`, and the body as is.</summary>
    public static async Task Respond(Stream stream, int status, byte[] body, CancellationToken cancellationToken, params string[] headers)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} Status\r\nConnection: close\r\n");
        foreach (var header in headers) head.Append(header).Append("\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            // Stopping: the listener is cancelled, closed, or already stopped when the loop comes round again.
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            Stream stream = client.GetStream();
            if (_certificate is not null)
            {
                var tls = new SslStream(stream);
                await tls.AuthenticateAsServerAsync(_certificate);
                stream = tls;
            }
            await using (stream)
            {
                if (await ReadRequestAsync(stream, _stopping.Token) is not { } request) return;
                _requests.Enqueue(request);
                await _respond(request, stream, _stopping.Token);
            }
        }
        catch (Exception)
        {
            // The fetcher hung up (refusal, size limit, timeout) or the origin is stopping: both expected here.
        }
    }

    private static async Task<OriginRequest?> ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (!EndsHead(received))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0) return null;
            received.AddRange(buffer.AsSpan(0, read));
        }
        var lines = Encoding.ASCII.GetString([.. received]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var start = lines[0].Split(' ');
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return new OriginRequest(start[0], start[1], headers);
    }

    private static bool EndsHead(List<byte> received) =>
        received.Count >= 4 && received[^4] == '\r' && received[^3] == '\n' && received[^2] == '\r' && received[^1] == '\n';
}
