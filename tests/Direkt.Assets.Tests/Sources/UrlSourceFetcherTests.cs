using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Direkt.Assets.Sources;

using Direkt.TestServices;

namespace Direkt.Assets.Tests.Sources;

/// <summary>
/// The fetcher against raw origins on 127.0.0.1. Names under example.test resolve to loopback through an injected resolver,
/// and the injected address check permits 127.0.0.1 only, so no packet ever leaves loopback. Private and metadata addresses
/// are only ever returned by the resolver and must be refused before any connection is attempted.
/// </summary>
public sealed class UrlSourceFetcherTests
{
    private static readonly byte[] Image = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. RandomNumberGenerator.GetBytes(4000)];
    private static readonly Func<IPAddress, bool> OnlyLoopback = address => address.Equals(IPAddress.Loopback);

    private static UrlSourceOptions Options(long maxBytes = 64 * 1024, TimeSpan? timeout = null, int maxRedirects = 3) =>
        new(["images.example.test", "*.cdn.example.test"], maxBytes, timeout ?? TimeSpan.FromSeconds(10), maxRedirects);

    private static Task<IPAddress[]> ResolveToLoopback(string host, CancellationToken cancellationToken) =>
        host.EndsWith(".example.test", StringComparison.OrdinalIgnoreCase)
            ? Task.FromResult<IPAddress[]>([IPAddress.Loopback])
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));

    private static UrlSourceFetcher Fetcher(
        UrlSourceOptions? options = null, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null) =>
        new(options ?? Options(), resolve ?? ResolveToLoopback, OnlyLoopback);

    private static Uri Url(LoopbackOrigin origin, string path = "/a.png", string host = "images.example.test", string scheme = "http") =>
        new($"{scheme}://{host}:{origin.Port}{path}");

    private static async Task<UrlSourceException> Failure(UrlSourceFetcher fetcher, Uri url, Stream? destination = null)
    {
        var fetch = () => fetcher.FetchAsync(url, destination ?? new MemoryStream(), CancellationToken.None);
        return (await fetch.Should().ThrowAsync<UrlSourceException>()).Which;
    }

    // ---- success

    [Fact]
    public async Task Fetches_the_body_with_its_type_length_and_url()
    {
        await using var origin = LoopbackOrigin.Serving(Image);
        using var fetcher = Fetcher();
        var destination = new MemoryStream();

        var fetched = await fetcher.FetchAsync(Url(origin), destination, CancellationToken.None);

        destination.ToArray().Should().Equal(Image);
        fetched.Should().Be(new FetchedSource(Url(origin), "image/png", Image.Length));
    }

    [Fact]
    public async Task Sends_user_agent_and_accept_and_nothing_that_identifies_or_authenticates()
    {
        await using var origin = LoopbackOrigin.Serving(Image);
        using var fetcher = Fetcher();

        await fetcher.FetchAsync(Url(origin), new MemoryStream(), CancellationToken.None);

        var request = origin.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be("GET");
        request.Headers["User-Agent"].Should().Be("Direkt");
        request.Headers["Accept"].Should().Be("image/*");
        request.Headers["Host"].Should().Be($"images.example.test:{origin.Port}");
        request.Headers.Keys.Should().NotContain(["Cookie", "Authorization", "Referer", "Accept-Encoding", "Proxy-Authorization"]);
    }

    [Fact]
    public async Task Follows_a_redirect_to_another_allowed_host_on_another_port()
    {
        await using var target = LoopbackOrigin.Serving(Image, "image/webp");
        await using var origin = LoopbackOrigin.Redirecting(_ => Url(target, "/final.webp", "x.cdn.example.test").ToString(), 301);
        using var fetcher = Fetcher();
        var destination = new MemoryStream();

        var fetched = await fetcher.FetchAsync(Url(origin), destination, CancellationToken.None);

        destination.ToArray().Should().Equal(Image);
        fetched.FinalUrl.Should().Be(Url(target, "/final.webp", "x.cdn.example.test"));
        fetched.ContentType.Should().Be("image/webp");
        target.Requests.Should().ContainSingle().Which.Headers["Host"].Should().Be($"x.cdn.example.test:{target.Port}");
    }

    [Fact]
    public async Task Follows_a_relative_redirect_and_never_returns_cookies()
    {
        await using var origin = new LoopbackOrigin((request, stream, ct) => request.Target == "/a.png"
            ? LoopbackOrigin.Respond(stream, 307, [], ct, "Location: /moved/b.png", "Set-Cookie: session=secret; Path=/", "Content-Length: 0")
            : LoopbackOrigin.Respond(stream, 200, Image, ct, "Content-Type: image/png", $"Content-Length: {Image.Length}"));
        using var fetcher = Fetcher();

        var fetched = await fetcher.FetchAsync(Url(origin), new MemoryStream(), CancellationToken.None);

        fetched.FinalUrl.Should().Be(Url(origin, "/moved/b.png"));
        origin.Requests.Select(r => r.Target).Should().Equal("/a.png", "/moved/b.png");
        origin.Requests[1].Headers.Keys.Should().NotContain("Cookie");
    }

    [Fact]
    public async Task Follows_exactly_max_redirects()
    {
        // /r3 → /r2 → /r1 → /r0, which serves: three redirects.
        await using var origin = new LoopbackOrigin((request, stream, ct) => request.Target == "/r0"
            ? LoopbackOrigin.Respond(stream, 200, Image, ct, $"Content-Length: {Image.Length}")
            : LoopbackOrigin.Respond(stream, 302, [], ct, $"Location: /r{int.Parse(request.Target[2..]) - 1}", "Content-Length: 0"));
        using var fetcher = Fetcher(Options(maxRedirects: 3));

        var fetched = await fetcher.FetchAsync(Url(origin, "/r3"), new MemoryStream(), CancellationToken.None);

        fetched.Length.Should().Be(Image.Length);
        fetched.ContentType.Should().BeNull();
        origin.Requests.Should().HaveCount(4);
    }

    // ---- the client's URL

    [Theory]
    [InlineData("ftp://images.example.test/a.png")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://images.example.test/")]
    [InlineData("http://user:password@images.example.test/a.png")]
    [InlineData("http://images.example.test@evil.test/a.png")]
    [InlineData("http://other.example.test/a.png")]
    [InlineData("http://cdn.example.test/a.png")]          // the apex of *.cdn.example.test
    [InlineData("http://127.0.0.1/a.png")]
    [InlineData("http://2130706433/a.png")]
    [InlineData("http://[::1]/a.png")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public async Task A_refused_url_is_the_clients_mistake_and_is_never_resolved(string url)
    {
        var resolved = 0;
        using var fetcher = Fetcher(resolve: (host, ct) => { Interlocked.Increment(ref resolved); return ResolveToLoopback(host, ct); });

        var failure = await Failure(fetcher, new Uri(url));

        failure.Kind.Should().Be(UrlSourceFailure.NotAllowed);
        failure.StatusCode.Should().Be(400);
        resolved.Should().Be(0);
    }

    [Fact]
    public async Task An_unlisted_host_gets_a_message_naming_the_setting()
    {
        using var fetcher = Fetcher();
        (await Failure(fetcher, new Uri("http://other.example.test/a.png"))).Message
            .Should().Be("url host other.example.test is not in source.url.allowed-domains");
    }

    [Fact]
    public async Task A_relative_url_is_refused()
    {
        using var fetcher = Fetcher();
        (await Failure(fetcher, new Uri("/a.png", UriKind.Relative))).Kind.Should().Be(UrlSourceFailure.NotAllowed);
    }

    // ---- addresses

    [Fact]
    public async Task The_default_policy_refuses_loopback_without_connecting()
    {
        await using var origin = LoopbackOrigin.Serving(Image);
        using var fetcher = new UrlSourceFetcher(Options(), ResolveToLoopback);

        var failure = await Failure(fetcher, Url(origin));

        failure.Kind.Should().Be(UrlSourceFailure.RefusedAddress);
        failure.StatusCode.Should().Be(502);
        failure.Message.Should().NotContain("127.0.0.1");
        origin.Connections.Should().Be(0);
    }

    [Fact]
    public async Task The_default_resolver_and_policy_refuse_localhost_without_connecting()
    {
        // Even a listed name is refused when it resolves (here through the system resolver and /etc/hosts) to loopback.
        await using var origin = LoopbackOrigin.Serving(Image);
        using var fetcher = new UrlSourceFetcher(Options() with { AllowedDomains = ["localhost"] });

        (await Failure(fetcher, Url(origin, host: "localhost"))).Kind.Should().Be(UrlSourceFailure.RefusedAddress);
        origin.Connections.Should().Be(0);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.0.10")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("fd00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fe80::1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    public async Task The_default_policy_refuses_private_and_metadata_addresses_before_connecting(string address)
    {
        // Refused before Socket.ConnectAsync: were it not, the fetch would try to reach a private address, time out
        // (10 s) or fail as Unreachable, not RefusedAddress.
        using var fetcher = new UrlSourceFetcher(Options(), (_, _) => Task.FromResult<IPAddress[]>([IPAddress.Parse(address)]));
        var clock = Stopwatch.StartNew();

        var failure = await Failure(fetcher, new Uri("http://images.example.test/latest/meta-data/"));

        failure.Kind.Should().Be(UrlSourceFailure.RefusedAddress);
        failure.Message.Should().NotContain(address);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_name_with_any_refused_address_is_refused_as_a_whole()
    {
        await using var origin = LoopbackOrigin.Serving(Image);
        using var fetcher = Fetcher(resolve: (_, _) => Task.FromResult<IPAddress[]>([IPAddress.Loopback, IPAddress.Parse("10.0.0.1")]));

        (await Failure(fetcher, Url(origin))).Kind.Should().Be(UrlSourceFailure.RefusedAddress);
        origin.Connections.Should().Be(0);
    }

    [Fact]
    public async Task A_redirect_to_an_allowed_name_with_a_private_address_is_refused()
    {
        await using var target = LoopbackOrigin.Serving(Image);
        await using var origin = LoopbackOrigin.Redirecting(_ => Url(target, "/x.png", "internal.cdn.example.test").ToString());
        using var fetcher = Fetcher(resolve: (host, ct) => host.StartsWith("internal.", StringComparison.Ordinal)
            ? Task.FromResult<IPAddress[]>([IPAddress.Parse("10.0.0.1")])
            : ResolveToLoopback(host, ct));

        var failure = await Failure(fetcher, Url(origin));

        failure.Kind.Should().Be(UrlSourceFailure.RefusedAddress);
        origin.Requests.Should().HaveCount(1);
        target.Connections.Should().Be(0);
    }

    [Fact]
    public async Task Every_new_connection_resolves_and_checks_again()
    {
        // DNS rebinding: the name first answers loopback (allowed here), then a private address. The second connection,
        // opened for the redirect to another port, must use the new answer's check, not the first one's.
        var answers = 0;
        await using var target = LoopbackOrigin.Serving(Image);
        await using var origin = LoopbackOrigin.Redirecting(_ => Url(target).ToString());
        using var fetcher = Fetcher(resolve: (_, _) => Task.FromResult<IPAddress[]>(
            [Interlocked.Increment(ref answers) == 1 ? IPAddress.Loopback : IPAddress.Parse("192.168.1.1")]));

        (await Failure(fetcher, Url(origin))).Kind.Should().Be(UrlSourceFailure.RefusedAddress);
        answers.Should().Be(2);
        target.Connections.Should().Be(0);
    }

    // ---- redirects

    [Theory]
    [InlineData("http://evil.example.test:{port}/a.png")]        // resolvable, but not listed
    [InlineData("http://127.0.0.1:{port}/a.png")]                // IP literal
    [InlineData("http://[::1]:{port}/a.png")]
    [InlineData("http://user:pw@images.example.test:{port}/a.png")]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://images.example.test:{port}/a.png")]
    public async Task A_redirect_to_a_refused_url_is_an_upstream_error_and_is_not_followed(string location)
    {
        await using var target = LoopbackOrigin.Serving(Image);
        await using var origin = LoopbackOrigin.Redirecting(_ => location.Replace("{port}", target.Port.ToString()));
        using var fetcher = Fetcher();

        var failure = await Failure(fetcher, Url(origin));

        failure.Kind.Should().Be(UrlSourceFailure.RedirectNotAllowed);
        failure.StatusCode.Should().Be(502);
        target.Connections.Should().Be(0);
    }

    [Fact]
    public async Task A_redirect_loop_stops_after_max_redirects()
    {
        await using var origin = LoopbackOrigin.Redirecting(request => request.Target);
        using var fetcher = Fetcher(Options(maxRedirects: 3));

        var failure = await Failure(fetcher, Url(origin));

        failure.Kind.Should().Be(UrlSourceFailure.TooManyRedirects);
        failure.StatusCode.Should().Be(502);
        origin.Requests.Should().HaveCount(4);
    }

    [Fact]
    public async Task With_max_redirects_zero_no_redirect_is_followed()
    {
        await using var target = LoopbackOrigin.Serving(Image);
        await using var origin = LoopbackOrigin.Redirecting(_ => Url(target).ToString());
        using var fetcher = Fetcher(Options(maxRedirects: 0));

        (await Failure(fetcher, Url(origin))).Kind.Should().Be(UrlSourceFailure.TooManyRedirects);
        target.Connections.Should().Be(0);
    }

    [Fact]
    public async Task A_redirect_without_location_is_an_upstream_error()
    {
        await using var origin = new LoopbackOrigin((_, stream, ct) => LoopbackOrigin.Respond(stream, 302, [], ct, "Content-Length: 0"));
        using var fetcher = Fetcher();

        (await Failure(fetcher, Url(origin))).Kind.Should().Be(UrlSourceFailure.UpstreamStatus);
    }

    // ---- status and size

    [Theory]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(304)]
    [InlineData(300)]
    public async Task A_status_other_than_2xx_is_an_upstream_error(int status)
    {
        await using var origin = new LoopbackOrigin((_, stream, ct) =>
            LoopbackOrigin.Respond(stream, status, "nope"u8.ToArray(), ct, "Content-Length: 4"));
        using var fetcher = Fetcher();

        var failure = await Failure(fetcher, Url(origin));

        failure.Kind.Should().Be(UrlSourceFailure.UpstreamStatus);
        failure.StatusCode.Should().Be(502);
        failure.Message.Should().Contain(status.ToString());
    }

    [Fact]
    public async Task A_content_length_over_the_limit_fails_before_the_body_is_read()
    {
        // The origin announces a large body and then sends nothing: only a check of the header can end this before the timeout.
        await using var origin = new LoopbackOrigin(async (_, stream, ct) =>
        {
            await LoopbackOrigin.Respond(stream, 200, [], ct, "Content-Type: image/png", "Content-Length: 1000000");
            await Task.Delay(Timeout.Infinite, ct);
        });
        using var fetcher = Fetcher(Options(maxBytes: 1000, timeout: TimeSpan.FromSeconds(120)));
        var destination = new MemoryStream();
        var clock = Stopwatch.StartNew();

        var failure = await Failure(fetcher, Url(origin), destination);

        failure.Kind.Should().Be(UrlSourceFailure.TooLarge);
        failure.StatusCode.Should().Be(413);
        destination.Length.Should().Be(0);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_stopped_while_streaming()
    {
        var chunksSent = 0;
        await using var origin = new LoopbackOrigin(async (_, stream, ct) =>
        {
            await LoopbackOrigin.Respond(stream, 200, [], ct, "Content-Type: image/png", "Transfer-Encoding: chunked");
            var chunk = new byte[1024];
            for (var i = 0; i < 100_000; i++)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"), ct);
                await stream.WriteAsync(chunk, ct);
                await stream.WriteAsync("\r\n"u8.ToArray(), ct);
                Interlocked.Increment(ref chunksSent);
            }
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), ct);
        });
        using var fetcher = Fetcher(Options(maxBytes: 20_000));
        var destination = new MemoryStream();

        var failure = await Failure(fetcher, Url(origin), destination);

        failure.Kind.Should().Be(UrlSourceFailure.TooLarge);
        destination.Length.Should().BeLessThanOrEqualTo(20_000);
        chunksSent.Should().BeLessThan(100_000, "the fetch stopped reading instead of draining 100 MB");
    }

    [Fact]
    public async Task A_body_without_content_length_ended_by_closing_is_counted_too()
    {
        await using var origin = new LoopbackOrigin((_, stream, ct) =>
            LoopbackOrigin.Respond(stream, 200, new byte[50_000], ct, "Content-Type: image/png"));
        using var fetcher = Fetcher(Options(maxBytes: 20_000));

        (await Failure(fetcher, Url(origin))).Kind.Should().Be(UrlSourceFailure.TooLarge);
    }

    [Fact]
    public async Task A_body_at_exactly_the_limit_is_accepted_without_content_length()
    {
        await using var origin = new LoopbackOrigin((_, stream, ct) => LoopbackOrigin.Respond(stream, 200, Image, ct));
        using var fetcher = Fetcher(Options(maxBytes: Image.Length));
        var destination = new MemoryStream();

        var fetched = await fetcher.FetchAsync(Url(origin), destination, CancellationToken.None);

        fetched.Length.Should().Be(Image.Length);
        destination.ToArray().Should().Equal(Image);
    }

    [Fact]
    public async Task A_content_length_under_the_limit_cannot_smuggle_a_larger_body()
    {
        // The origin lies low: the framing ends the body at the declared length, so nothing past it is read or stored.
        await using var origin = new LoopbackOrigin((_, stream, ct) =>
            LoopbackOrigin.Respond(stream, 200, new byte[50_000], ct, "Content-Length: 100"));
        using var fetcher = Fetcher(Options(maxBytes: 1000));
        var destination = new MemoryStream();

        var fetched = await fetcher.FetchAsync(Url(origin), destination, CancellationToken.None);

        fetched.Length.Should().Be(100);
        destination.Length.Should().Be(100);
    }

    [Fact]
    public async Task A_body_cut_short_is_an_upstream_error()
    {
        await using var origin = new LoopbackOrigin((_, stream, ct) =>
            LoopbackOrigin.Respond(stream, 200, new byte[100], ct, "Content-Length: 5000"));
        using var fetcher = Fetcher();

        var failure = await Failure(fetcher, Url(origin));

        failure.Kind.Should().Be(UrlSourceFailure.Unreachable);
        failure.StatusCode.Should().Be(502);
    }

    // ---- time

    [Fact]
    public async Task An_origin_that_never_answers_times_out()
    {
        await using var origin = new LoopbackOrigin((_, _, ct) => Task.Delay(Timeout.Infinite, ct));
        using var fetcher = Fetcher(Options(timeout: TimeSpan.FromMilliseconds(300)));
        var clock = Stopwatch.StartNew();

        var failure = await Failure(fetcher, Url(origin));

        failure.Kind.Should().Be(UrlSourceFailure.Timeout);
        failure.StatusCode.Should().Be(504);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task The_timeout_covers_a_slow_body()
    {
        await using var origin = new LoopbackOrigin(async (_, stream, ct) =>
        {
            await LoopbackOrigin.Respond(stream, 200, [], ct, "Content-Type: image/png", "Content-Length: 1000");
            for (var i = 0; i < 1000; i++)
            {
                await stream.WriteAsync(new byte[1], ct);
                await stream.FlushAsync(ct);
                await Task.Delay(50, ct);
            }
        });
        using var fetcher = Fetcher(Options(timeout: TimeSpan.FromMilliseconds(500)));
        var destination = new MemoryStream();

        var failure = await Failure(fetcher, Url(origin), destination);

        failure.Kind.Should().Be(UrlSourceFailure.Timeout);
        destination.Length.Should().BeLessThan(1000, "the body never finished");
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_timeout()
    {
        await using var origin = new LoopbackOrigin((_, _, ct) => Task.Delay(Timeout.Infinite, ct));
        using var fetcher = Fetcher();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var fetch = () => fetcher.FetchAsync(Url(origin), new MemoryStream(), cancel.Token);

        await fetch.Should().ThrowAsync<OperationCanceledException>();
    }

    // ---- connections

    [Fact]
    public async Task A_closed_port_is_unreachable()
    {
        using var fetcher = Fetcher();

        var failure = await Failure(fetcher, new Uri($"http://images.example.test:{ClosedPort()}/a.png"));

        failure.Kind.Should().Be(UrlSourceFailure.Unreachable);
        failure.StatusCode.Should().Be(502);
    }

    [Fact]
    public async Task An_unreachable_redirect_target_is_named()
    {
        var port = ClosedPort();
        await using var origin = LoopbackOrigin.Redirecting(_ => $"http://x.cdn.example.test:{port}/a.png");
        using var fetcher = Fetcher();

        var failure = await Failure(fetcher, Url(origin));

        failure.Kind.Should().Be(UrlSourceFailure.Unreachable);
        failure.Message.Should().Be("could not connect to x.cdn.example.test");
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_unreachable()
    {
        using var fetcher = Fetcher(resolve: (_, _) => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)));
        (await Failure(fetcher, new Uri("http://images.example.test/a.png"))).Kind.Should().Be(UrlSourceFailure.Unreachable);
    }

    [Fact]
    public async Task A_name_without_addresses_is_unreachable()
    {
        using var fetcher = Fetcher(resolve: (_, _) => Task.FromResult<IPAddress[]>([]));
        (await Failure(fetcher, new Uri("http://images.example.test/a.png"))).Kind.Should().Be(UrlSourceFailure.Unreachable);
    }

    [Fact]
    public async Task Https_certificates_are_validated()
    {
        using var certificate = SelfSigned("images.example.test");
        await using var origin = new LoopbackOrigin(
            (_, stream, ct) => LoopbackOrigin.Respond(stream, 200, Image, ct, $"Content-Length: {Image.Length}"), certificate);
        using var fetcher = Fetcher();

        var failure = await Failure(fetcher, Url(origin, scheme: "https"));

        failure.Kind.Should().Be(UrlSourceFailure.Unreachable);
        origin.Connections.Should().Be(1);
        origin.Requests.Should().BeEmpty();
    }

    // ---- mapping

    [Theory]
    [InlineData(UrlSourceFailure.NotAllowed, 400)]
    [InlineData(UrlSourceFailure.RefusedAddress, 502)]
    [InlineData(UrlSourceFailure.TooLarge, 413)]
    [InlineData(UrlSourceFailure.TooManyRedirects, 502)]
    [InlineData(UrlSourceFailure.RedirectNotAllowed, 502)]
    [InlineData(UrlSourceFailure.UpstreamStatus, 502)]
    [InlineData(UrlSourceFailure.Unreachable, 502)]
    [InlineData(UrlSourceFailure.Timeout, 504)]
    public void Each_failure_has_one_status(UrlSourceFailure kind, int status) =>
        new UrlSourceException(kind, "x").StatusCode.Should().Be(status);

    /// <summary>A loopback port that was free a moment ago and has nothing listening on it.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static X509Certificate2 SelfSigned(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
