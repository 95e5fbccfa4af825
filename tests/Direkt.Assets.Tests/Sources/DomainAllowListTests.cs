using Direkt.Assets.Sources;

namespace Direkt.Assets.Tests.Sources;

public sealed class DomainAllowListTests
{
    private static readonly DomainAllowList List = new(["images.example.com", "*.cdn.example.net", "bücher.example", "Upper.Example.ORG."]);

    [Theory]
    [InlineData("images.example.com")]
    [InlineData("IMAGES.Example.COM")]
    [InlineData("images.example.com.")]       // fully qualified form
    [InlineData("a.cdn.example.net")]
    [InlineData("a.b.c.cdn.example.net")]     // any depth
    [InlineData("bücher.example")]
    [InlineData("BÜCHER.example")]
    [InlineData("xn--bcher-kva.example")]     // the same name in punycode
    [InlineData("upper.example.org")]         // pattern canonicalised too
    public void Listed_hosts_are_allowed(string host) => List.Allows(host).Should().BeTrue();

    [Theory]
    [InlineData("cdn.example.net")]           // the apex does not match its own wildcard
    [InlineData("example.com")]
    [InlineData("other.example.com")]
    [InlineData("images.example.com.evil.com")]
    [InlineData("evilimages.example.com")]
    [InlineData("a.evilcdn.example.net")]
    [InlineData("acdn.example.net")]
    [InlineData("images.example.com..")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(".")]
    [InlineData("a..cdn.example.net")]
    [InlineData("buecher.example")]
    public void Other_hosts_are_refused(string host) => List.Allows(host).Should().BeFalse();

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("2130706433")]
    [InlineData("0x7f.1")]
    [InlineData("1.2.3.4.cdn.example.net.2130706433")]
    public void Ip_literals_never_match_a_domain_pattern(string host)
    {
        new DomainAllowList(["*.cdn.example.net", "*.example"]).Allows(host).Should().BeFalse();
    }

    [Theory]
    [InlineData("http://images.example.com/a.png", true)]
    [InlineData("https://IMAGES.example.com:8443/a.png", true)]
    [InlineData("http://x.cdn.example.net/a.png", true)]
    [InlineData("http://bücher.example/a.png", true)]
    [InlineData("http://127.0.0.1/a.png", false)]
    [InlineData("http://2130706433/a.png", false)]    // .NET reads it as 127.0.0.1
    [InlineData("http://0x7f.1/a.png", false)]
    [InlineData("http://[::1]/a.png", false)]
    [InlineData("http://[::ffff:169.254.169.254]/", false)]
    [InlineData("http://cdn.example.net/a.png", false)]
    public void Urls_are_judged_by_their_host(string url, bool allowed) =>
        List.Allows(new Uri(url)).Should().Be(allowed);

    [Fact]
    public void Relative_urls_are_refused() => List.Allows(new Uri("/a.png", UriKind.Relative)).Should().BeFalse();

    [Fact]
    public void An_empty_list_allows_nothing()
    {
        var empty = new DomainAllowList([]);
        empty.IsEmpty.Should().BeTrue();
        empty.Allows("images.example.com").Should().BeFalse();
        List.IsEmpty.Should().BeFalse();
    }

    [Theory]
    [InlineData("*")]
    [InlineData("*.")]
    [InlineData("")]
    [InlineData("a.*.example.com")]
    [InlineData("*example.com")]
    [InlineData("10.0.0.1")]
    [InlineData("*.10.0.0.1")]
    [InlineData("::1")]
    [InlineData("exa mple.com")]
    public void Invalid_patterns_are_rejected(string pattern)
    {
        var create = () => new DomainAllowList([pattern]);
        create.Should().Throw<ArgumentException>().WithMessage($"*'{pattern}'*");
    }
}
