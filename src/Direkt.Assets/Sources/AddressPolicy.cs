using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Direkt.Assets.Sources;

/// <summary>
/// Decides whether Direkt may open a connection to an address on behalf of a URL source: only globally reachable unicast
/// addresses pass, so a URL cannot make Direkt talk to itself, its private network or a cloud metadata service (SSRF).
/// </summary>
/// <remarks>
/// <para>IPv4 is a deny list of the special-purpose ranges (IANA registry, RFC 6890) plus multicast, reserved and broadcast;
/// see <see cref="RefusedV4"/>.</para>
/// <para>IPv6 is an allow list: only global unicast 2000::/3 passes, minus the special ranges inside it. That refuses, without
/// listing them one by one and including any future non-global assignment outside 2000::/3:
/// ::/128 unspecified; ::1/128 loopback; ::/96 deprecated IPv4-compatible addresses (some stacks route them to the
/// embedded IPv4); 64:ff9b:1::/48 local-use NAT64 (RFC 8215); 100::/64 discard-only; fc00::/7 unique local (ULA, which
/// includes fd00::/8 and the AWS IPv6 metadata address fd00:ec2::254); fe80::/10 link-local; fec0::/10 deprecated
/// site-local (still routed privately by some networks); ff00::/8 multicast.</para>
/// <para>Addresses that carry an IPv4 address are judged by it, since that is where the packets end up:
/// ::ffff:0:0/96 IPv4-mapped (the socket connects to the IPv4 address itself); 64:ff9b::/96 well-known NAT64 prefix
/// (RFC 6052: the translator connects to the embedded IPv4, so 64:ff9b::a9fe:a9fe is 169.254.169.254);
/// 2002::/16 6to4 (RFC 3056: bits 16–47 are the IPv4 address of the 6to4 router that receives the traffic).</para>
/// </remarks>
internal static class AddressPolicy
{
    /// <summary>IPv4 ranges that are not globally reachable or not unicast.</summary>
    private static readonly V4Range[] RefusedV4 =
    [
        V4Range.Parse("0.0.0.0/8"),          // "this network" (RFC 791); 0.0.0.0 reaches the local host on Linux
        V4Range.Parse("10.0.0.0/8"),         // private (RFC 1918)
        V4Range.Parse("100.64.0.0/10"),      // carrier-grade NAT shared space (RFC 6598); often internal cloud services
        V4Range.Parse("127.0.0.0/8"),        // loopback: Direkt itself and anything bound to localhost
        V4Range.Parse("169.254.0.0/16"),     // link-local (RFC 3927), including the cloud metadata service 169.254.169.254
        V4Range.Parse("172.16.0.0/12"),      // private (RFC 1918): 172.16.0.0–172.31.255.255
        V4Range.Parse("192.0.0.0/24"),       // IETF protocol assignments (RFC 6890), e.g. 192.0.0.8 DS-Lite
        V4Range.Parse("192.0.2.0/24"),       // TEST-NET-1 documentation (RFC 5737)
        V4Range.Parse("192.88.99.0/24"),     // deprecated 6to4 relay anycast (RFC 7526): leads to whichever relay is near
        V4Range.Parse("192.168.0.0/16"),     // private (RFC 1918)
        V4Range.Parse("198.18.0.0/15"),      // benchmarking (RFC 2544), used internally by some networks
        V4Range.Parse("198.51.100.0/24"),    // TEST-NET-2 documentation (RFC 5737)
        V4Range.Parse("203.0.113.0/24"),     // TEST-NET-3 documentation (RFC 5737)
        V4Range.Parse("224.0.0.0/4"),        // multicast: never a web server
        V4Range.Parse("240.0.0.0/4"),        // reserved (RFC 1112)
        V4Range.Parse("255.255.255.255/32"), // limited broadcast (inside 240/4, listed for clarity)
    ];

    /// <summary>Global unicast: the only IPv6 space that may pass (besides the IPv4-carrying forms).</summary>
    private static readonly V6Range GlobalUnicastV6 = V6Range.Parse("2000::/3");

    /// <summary>Ranges inside 2000::/3 that are not ordinary global unicast.</summary>
    private static readonly V6Range[] RefusedGlobalV6 =
    [
        V6Range.Parse("2001::/23"),     // IETF protocol assignments (RFC 2928): Teredo 2001::/32 (tunnels to an obfuscated
                                          // IPv4), benchmarking 2001:2::/48, ORCHID; no ordinary web server lives here
        V6Range.Parse("2001:db8::/32"), // documentation (RFC 3849)
        V6Range.Parse("3fff::/20"),     // documentation (RFC 9637)
    ];

    private static readonly V6Range Ipv4MappedV6 = V6Range.Parse("::ffff:0:0/96");
    private static readonly V6Range Nat64V6 = V6Range.Parse("64:ff9b::/96");
    private static readonly V6Range SixToFourV6 = V6Range.Parse("2002::/16");

    /// <summary>True when Direkt may connect to <paramref name="address"/>: a globally reachable unicast address.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPublicV4(address),
            AddressFamily.InterNetworkV6 => IsPublicV6(address),
            _ => false,
        };
    }

    private static bool IsPublicV4(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return IsPublicV4(BinaryPrimitives.ReadUInt32BigEndian(bytes));
    }

    private static bool IsPublicV4(uint address) => !RefusedV4.Any(range => range.Contains(address));

    private static bool IsPublicV6(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);

        if (Ipv4MappedV6.Contains(value) || Nat64V6.Contains(value)) return IsPublicV4((uint)value); // last 32 bits
        if (!GlobalUnicastV6.Contains(value)) return false;
        if (SixToFourV6.Contains(value)) return IsPublicV4((uint)(value >> 80));                   // bits 16–47
        return !RefusedGlobalV6.Any(range => range.Contains(value));
    }

    // Prefixes are compared on the address's bits here rather than with System.Net.IPNetwork, whose Contains (at least up
    // to .NET 10.0.12) takes the IPv4 path for an IPv4-mapped address even against an IPv6 network, so that
    // "2000::/3" contains ::ffff:10.0.0.1 and "::ffff:0:0/96" does not (dotnet/runtime#131861). IPNetwork only parses.

    private readonly record struct V4Range(uint Network, int Length)
    {
        public static V4Range Parse(string cidr)
        {
            var network = IPNetwork.Parse(cidr);
            Span<byte> bytes = stackalloc byte[4];
            network.BaseAddress.TryWriteBytes(bytes, out _);
            return new(BinaryPrimitives.ReadUInt32BigEndian(bytes), network.PrefixLength);
        }

        public bool Contains(uint address) => Length == 0 || (address ^ Network) >> (32 - Length) == 0;
    }

    private readonly record struct V6Range(UInt128 Network, int Length)
    {
        public static V6Range Parse(string cidr)
        {
            var network = IPNetwork.Parse(cidr);
            Span<byte> bytes = stackalloc byte[16];
            network.BaseAddress.TryWriteBytes(bytes, out _);
            return new(BinaryPrimitives.ReadUInt128BigEndian(bytes), network.PrefixLength);
        }

        public bool Contains(UInt128 address) => Length == 0 || (address ^ Network) >> (128 - Length) == UInt128.Zero;
    }
}
