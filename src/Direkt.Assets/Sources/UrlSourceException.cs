namespace Direkt.Assets.Sources;

/// <summary>Why a URL source could not be fetched. Each kind has one HTTP status (<see cref="UrlSourceException.StatusCode"/>).</summary>
public enum UrlSourceFailure
{
    /// <summary>The URL the client sent is unacceptable before anything is fetched: not absolute http(s), credentials in it,
    /// or a host outside `source.url.allowed-domains`. The client's mistake: 400.</summary>
    NotAllowed,

    /// <summary>The host resolves to a loopback, private, link-local, CGNAT, metadata or otherwise non-public address.
    /// Nothing was connected. The name is allowed but points somewhere Direkt must not go: 502.</summary>
    RefusedAddress,

    /// <summary>The body is larger than `source.url.max-bytes` (declared or counted): 502.</summary>
    TooLarge,

    /// <summary>More than `source.url.max-redirects` redirects: 502.</summary>
    TooManyRedirects,

    /// <summary>The origin redirected to a host outside the allow list, an IP literal, a non-http(s) URL or one with
    /// credentials. The client's URL was fine; the origin sent us elsewhere: 502.</summary>
    RedirectNotAllowed,

    /// <summary>The origin answered a status other than 2xx (or a redirect without a usable Location): 502.</summary>
    UpstreamStatus,

    /// <summary>The name did not resolve, no address accepted a connection, TLS failed (certificate validation is on),
    /// or the connection broke mid-response: 502.</summary>
    Unreachable,

    /// <summary>The whole fetch took longer than `source.url.timeout`: 504.</summary>
    Timeout,
}

/// <summary>
/// A URL source that could not be fetched. Messages are safe to show to clients: they name hosts the client or the origin
/// chose, never resolved addresses (which would let a caller map internal DNS) nor inner exception texts.
/// </summary>
internal sealed class UrlSourceException(UrlSourceFailure kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public UrlSourceFailure Kind { get; } = kind;

    /// <summary>
    /// The status the endpoint answers: 400 when the client's own URL is refused (an unknown host is a request mistake the
    /// client can fix, not a permission it could obtain, hence not 403); 504 when the origin was too slow; 502 for every
    /// other upstream problem.
    /// </summary>
    public int StatusCode => Kind switch
    {
        UrlSourceFailure.NotAllowed => 400,
        UrlSourceFailure.TooLarge => 413,
        UrlSourceFailure.Timeout => 504,
        _ => 502,
    };
}
