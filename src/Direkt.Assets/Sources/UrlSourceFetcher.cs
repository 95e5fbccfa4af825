using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Direkt.Assets.Sources;

/// <summary>What a successful fetch produced: where the bytes finally came from, the origin's Content-Type, and how many bytes.</summary>
public sealed record FetchedSource(Uri FinalUrl, string? ContentType, long Length);

/// <summary>
/// Downloads a URL source into a stream with SSRF protection. One instance is meant to be shared (it pools connections).
/// </summary>
/// <remarks>
/// <para><b>Where it may go.</b> The URL and every redirect target must be http(s), carry no credentials and name a host in
/// <see cref="UrlSourceOptions.AllowedDomains"/> (<see cref="DomainAllowList"/>). Redirects are followed by hand
/// (<c>AllowAutoRedirect = false</c>) so that each hop is checked and counted.</para>
/// <para><b>Which addresses.</b> Names are resolved inside the handler's <c>ConnectCallback</c>, and the socket connects to
/// exactly the addresses that were just checked, never to the name: a DNS answer that changes between check and connect
/// (rebinding) cannot slip a private address in. The rule is strict: if <i>any</i> resolved address is refused, the whole
/// name is refused and nothing is connected. A name that mixes public and private addresses points into a private network
/// (or is a rebinding attempt), and whether a fetch works should not depend on which address happens to be tried first.
/// Every new connection resolves and checks again, so a redirect to another allowed host is checked too.</para>
/// <para><b>What it sends.</b> GET with <c>User-Agent: Direkt</c> and <c>Accept: image/*</c>; no cookies (none are stored),
/// no credentials, no proxy (a proxy would resolve the name itself, behind the address check), no Accept-Encoding (images
/// are compressed already, and the bytes stored are the bytes counted). HTTPS certificates are validated as usual.</para>
/// <para><b>Limits.</b> A Content-Length over <see cref="UrlSourceOptions.MaxBytes"/> fails before the body is read; the
/// body is counted while streaming whatever the headers claimed. <see cref="UrlSourceOptions.Timeout"/> bounds the whole
/// fetch, redirects and body included.</para>
/// </remarks>
public sealed class UrlSourceFetcher : IDisposable
{
    private readonly UrlSourceOptions _options;
    private readonly DomainAllowList _allowList;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly Func<IPAddress, bool> _addressAllowed;
    private readonly HttpClient _client;

    /// <param name="options">The `source.url` limits.</param>
    /// <param name="resolve">Name resolution; <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/> unless a test
    /// maps names itself.</param>
    /// <param name="addressAllowed">The address check; <see cref="AddressPolicy.IsPublic"/> unless a test needs loopback.</param>
    public UrlSourceFetcher(
        UrlSourceOptions options,
        Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null,
        Func<IPAddress, bool>? addressAllowed = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _allowList = new DomainAllowList(options.AllowedDomains);
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
        _addressAllowed = addressAllowed ?? AddressPolicy.IsPublic;

        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            Credentials = null,
            PreAuthenticate = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = ConnectAsync,
            ConnectTimeout = options.Timeout,
            // A pooled connection goes to an address checked when it was opened; recycling bounds how long that check stands.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Direkt", null));
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("image/*"));
    }

    /// <summary>
    /// Fetches <paramref name="url"/> and copies its body into <paramref name="destination"/>. On failure the destination may
    /// hold part of the body: the caller discards it.
    /// </summary>
    /// <exception cref="UrlSourceException">Any refusal or upstream failure; <see cref="UrlSourceException.StatusCode"/> says how to answer.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (not a timeout).</exception>
    public async Task<FetchedSource> FetchAsync(Uri url, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(destination);
        if (Refusal(url) is { } problem) throw new UrlSourceException(UrlSourceFailure.NotAllowed, problem);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            return await FollowAsync(url, destination, deadline.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException
                                  && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new UrlSourceException(UrlSourceFailure.Timeout,
                $"fetching the url took longer than source.url.timeout ({_options.Timeout.TotalSeconds:0.###} s)", e);
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<FetchedSource> FollowAsync(Uri url, Stream destination, CancellationToken cancellationToken)
    {
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            using var response = await SendAsync(current, cancellationToken);

            if (IsRedirect(response.StatusCode))
            {
                if (redirects >= _options.MaxRedirects)
                    throw new UrlSourceException(UrlSourceFailure.TooManyRedirects,
                        $"the origin redirected more than source.url.max-redirects ({_options.MaxRedirects}) times");
                current = NextHop(current, response);
                continue;
            }
            if (!response.IsSuccessStatusCode)
                throw new UrlSourceException(UrlSourceFailure.UpstreamStatus,
                    $"{current.IdnHost} answered {(int)response.StatusCode}");
            if (response.Content.Headers.ContentLength > _options.MaxBytes)
                throw TooLarge();

            var length = await CopyAsync(response.Content, destination, current, cancellationToken);
            return new FetchedSource(current, response.Content.Headers.ContentType?.ToString(), length);
        }
    }

    /// <summary>Sends one GET and returns once the headers are in; connection failures name the hop that failed.</summary>
    private async Task<HttpResponseMessage> SendAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        try
        {
            return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The handler wraps what ConnectAsync throws; a refusal made there keeps its own kind.
            throw Find<UrlSourceException>(e)
                ?? new UrlSourceException(UrlSourceFailure.Unreachable, $"could not connect to {url.IdnHost}", e);
        }
    }

    private Uri NextHop(Uri current, HttpResponseMessage response)
    {
        if (response.Headers.Location is not { } location)
            throw new UrlSourceException(UrlSourceFailure.UpstreamStatus,
                $"{current.IdnHost} answered {(int)response.StatusCode} without a Location");
        var next = location.IsAbsoluteUri ? location : new Uri(current, location);
        if (Refusal(next) is { } problem)
            throw new UrlSourceException(UrlSourceFailure.RedirectNotAllowed, $"the origin redirected to a url that is refused: {problem}");
        return next;
    }

    private async Task<long> CopyAsync(HttpContent content, Stream destination, Uri source, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            await using var body = await content.ReadAsStreamAsync(cancellationToken);
            long total = 0;
            while (true)
            {
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, cancellationToken);
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    // Only reading is translated: a failing destination is the caller's problem, not the origin's.
                    throw new UrlSourceException(UrlSourceFailure.Unreachable, $"the connection to {source.IdnHost} broke off", e);
                }
                if (read == 0) return total;
                total += read;
                if (total > _options.MaxBytes) throw TooLarge();
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Resolves the host, refuses it unless every address passes the address check, then connects to one of those very
    /// addresses. Runs for every new connection, including those a redirect opens.
    /// </summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await _resolve(host, cancellationToken);
        if (addresses.Length == 0)
            throw new UrlSourceException(UrlSourceFailure.Unreachable, $"{host} did not resolve to any address");
        if (!addresses.All(_addressAllowed))
            throw new UrlSourceException(UrlSourceFailure.RefusedAddress,
                $"{host} resolves to an address that is not public (loopback, private, link-local or reserved)");

        SocketException? last = null;
        foreach (var checkedAddress in addresses)
        {
            // An IPv4-mapped address was judged by its IPv4 address; connect to that, on a plain IPv4 socket.
            var address = checkedAddress.IsIPv4MappedToIPv6 ? checkedAddress.MapToIPv4() : checkedAddress;
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw new UrlSourceException(UrlSourceFailure.Unreachable, $"could not connect to {host}", last);
    }

    /// <summary>Why a URL (the client's, or a redirect's) may not be fetched; null when it may.</summary>
    private string? Refusal(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            return "url must be an absolute http or https url";
        if (url.UserInfo.Length > 0)
            return "url must not contain credentials";
        if (!_allowList.Allows(url))
            return $"url host {url.IdnHost} is not in source.url.allowed-domains";
        return null;
    }

    private UrlSourceException TooLarge() =>
        new(UrlSourceFailure.TooLarge, $"the image is larger than source.url.max-bytes ({_options.MaxBytes} bytes)");

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }
}
