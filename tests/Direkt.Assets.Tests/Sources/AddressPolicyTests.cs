using System.Net;
using Direkt.Assets.Sources;

namespace Direkt.Assets.Tests.Sources;

public sealed class AddressPolicyTests
{
    [Theory]
    // IPv4 special-purpose ranges
    [InlineData("0.0.0.0")]
    [InlineData("0.255.255.255")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("169.254.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.8")]
    [InlineData("192.0.2.1")]
    [InlineData("192.88.99.1")]
    [InlineData("192.168.1.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.255")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    // IPv6 outside global unicast
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::10.0.0.1")]                 // deprecated IPv4-compatible
    [InlineData("::8.8.8.8")]                  // deprecated IPv4-compatible, even with a public IPv4
    [InlineData("64:ff9b:1::1")]               // local-use NAT64
    [InlineData("100::1")]                     // discard-only
    [InlineData("fc00::1")]
    [InlineData("fd00::1")]
    [InlineData("fd00:ec2::254")]              // AWS IPv6 metadata
    [InlineData("fe80::1")]
    [InlineData("fe80::1%2")]
    [InlineData("febf:ffff::1")]
    [InlineData("fec0::1")]                    // deprecated site-local
    [InlineData("ff02::1")]
    [InlineData("ff0e::1")]
    // IPv6 inside 2000::/3 but special
    [InlineData("2001::1")]                    // Teredo
    [InlineData("2001:2::1")]                  // benchmarking
    [InlineData("2001:db8::1")]
    [InlineData("2001:db8:ffff::1")]
    [InlineData("3fff::1")]
    // IPv4 carried in IPv6: judged by the IPv4 address
    [InlineData("::ffff:10.0.0.1")]            // regression: System.Net.IPNetwork puts this in 2000::/3 (dotnet/runtime#131861)
    [InlineData("::ffff:0.0.0.0")]
    [InlineData("::ffff:192.168.1.1")]
    [InlineData("::ffff:100.64.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]         // NAT64 of 169.254.169.254
    [InlineData("64:ff9b::10.1.2.3")]
    [InlineData("2002:7f00:1::1")]             // 6to4 via 127.0.0.1
    [InlineData("2002:c0a8:101::1")]           // 6to4 via 192.168.1.1
    [InlineData("2002:a9fe:a9fe::1")]          // 6to4 via 169.254.169.254
    public void Non_public_addresses_are_refused(string address) =>
        AddressPolicy.IsPublic(IPAddress.Parse(address)).Should().BeFalse();

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("9.255.255.255")]              // just below 10/8
    [InlineData("11.0.0.0")]                   // just above 10/8
    [InlineData("100.63.255.255")]             // just below CGNAT
    [InlineData("100.128.0.0")]                // just above CGNAT
    [InlineData("172.15.255.255")]             // just below 172.16/12
    [InlineData("172.32.0.1")]                 // just above 172.16/12
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.1")]
    [InlineData("192.0.3.1")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.1")]
    [InlineData("198.20.0.1")]
    [InlineData("223.255.255.255")]            // last unicast before multicast
    [InlineData("2606:4700::1111")]
    [InlineData("2a00:1450:4001:81c::200e")]
    [InlineData("2001:4860:4860::8888")]       // inside 2001::/16 but outside 2001::/23
    [InlineData("2001:200::1")]                // first address after 2001::/23
    [InlineData("3ffe::1")]                    // below 3fff::/20
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]           // NAT64 of 8.8.8.8
    [InlineData("2002:808:808::1")]            // 6to4 via 8.8.8.8
    public void Public_addresses_are_allowed(string address) =>
        AddressPolicy.IsPublic(IPAddress.Parse(address)).Should().BeTrue();
}
