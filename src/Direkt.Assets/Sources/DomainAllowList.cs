using System.Globalization;

namespace Direkt.Assets.Sources;

/// <summary>
/// `source.url.allowed-domains`: the hosts a URL source (and every redirect it takes) may name.
/// </summary>
/// <remarks>
/// <para>A pattern is an exact host (<c>images.example.com</c>) or a suffix pattern (<c>*.example.com</c>) that matches any
/// subdomain at any depth (<c>a.example.com</c>, <c>a.b.example.com</c>) but not the apex <c>example.com</c> itself: listing a
/// wildcard should not silently open the parent site, and the apex is one more entry away when it is wanted.</para>
/// <para>Hosts and patterns are compared in one canonical form: lower case, one trailing dot removed (<c>example.com.</c> is
/// the same host), internationalized names converted to ASCII (punycode) with <see cref="IdnMapping"/>, so
/// <c>bücher.example</c> and <c>xn--bcher-kva.example</c> are the same entry.</para>
/// <para>IP literals (<c>10.0.0.1</c>, <c>[::1]</c>, and the numeric forms such as <c>2130706433</c> or <c>0x7f.1</c> that
/// URL parsers read as IPv4) never match: the list names domains, and an address is not in any domain. A pattern cannot be an
/// IP literal either. An origin reached by address alone cannot be a URL source.</para>
/// </remarks>
internal sealed class DomainAllowList
{
    private readonly HashSet<string> _exact = new(StringComparer.Ordinal);
    private readonly List<string> _suffixes = []; // ".example.com" for "*.example.com", so "badexample.com" never matches

    /// <exception cref="ArgumentException">A pattern is not a host name or `*.` followed by one.</exception>
    public DomainAllowList(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        foreach (var pattern in patterns)
        {
            var wildcard = pattern.StartsWith("*.", StringComparison.Ordinal);
            var name = Canonical(wildcard ? pattern[2..] : pattern)
                ?? throw new ArgumentException($"'{pattern}' is not a host name (example.com) or a suffix pattern (*.example.com)", nameof(patterns));
            if (wildcard) _suffixes.Add("." + name);
            else _exact.Add(name);
        }
    }

    /// <summary>True when no pattern is configured, i.e. URL sources are switched off.</summary>
    public bool IsEmpty => _exact.Count == 0 && _suffixes.Count == 0;

    /// <summary>Whether the host of an absolute URL is allowed. IP-literal hosts never are.</summary>
    public bool Allows(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri && url.HostNameType == UriHostNameType.Dns && Allows(url.IdnHost);
    }

    /// <summary>Whether a host name (Unicode or ASCII, any case, optional trailing dot) is allowed.</summary>
    public bool Allows(string host)
    {
        if (Canonical(host) is not { } name) return false;
        if (_exact.Contains(name)) return true;
        foreach (var suffix in _suffixes)
            if (name.EndsWith(suffix, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>The ASCII, lower-case, dot-less-at-the-end form of a DNS host name; null for anything else.</summary>
    private static string? Canonical(string? host)
    {
        if (string.IsNullOrWhiteSpace(host)) return null;
        var trimmed = host.EndsWith('.') ? host[..^1] : host;
        if (trimmed.Length == 0) return null;

        string ascii;
        try
        {
            // Lower-cased before and after: under invariant globalization IdnMapping does not case-fold non-ASCII letters.
            ascii = new IdnMapping().GetAscii(trimmed.ToLowerInvariant()).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null; // empty labels, labels over 63 characters, invalid code points
        }

        return ascii.Length <= 253 && Uri.CheckHostName(ascii) == UriHostNameType.Dns && !EndsInNumber(ascii) ? ascii : null;
    }

    /// <summary>
    /// The WHATWG URL rule: a host whose last label is a number (decimal, or 0x hex) is parsed as IPv4 by browsers and .NET
    /// alike (<c>2130706433</c>, <c>0x7f.1</c> are 127.0.0.1), so it is an IP literal in disguise.
    /// </summary>
    private static bool EndsInNumber(string host)
    {
        var last = host[(host.LastIndexOf('.') + 1)..];
        if (last.Length > 0 && last.All(char.IsAsciiDigit)) return true;
        return last.StartsWith("0x", StringComparison.Ordinal) && last[2..].All(char.IsAsciiHexDigit);
    }
}
