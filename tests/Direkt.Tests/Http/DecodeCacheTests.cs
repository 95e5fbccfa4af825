using System.Globalization;
using System.Net;
using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

/// <summary>
/// Decoded originals kept in memory (`decode-cache`), through HTTP on S3 (s3rver): a burst of variants of one original
/// fetches it from the bucket once and decodes it once. A variant whose load shrink is the kept copy's is byte for byte what
/// a server without the cache makes; a smaller one, resized from more pixels than libvips would have decoded, is the same
/// canvas and picture. Metadata rules hold through the copy (GPS stripped by default, kept with strip=none, a non-sRGB
/// profile kept).
/// </summary>
public sealed class DecodeCacheTests
{
    // The first decodes the 1600 × 1200 original whole (load shrink 1); "same" marks the variants libvips would also load
    // at shrink 1 (the others, at 2 to 8).
    private static readonly (string Query, bool Same)[] Burst =
    [
        ("w=700", true),
        ("w=640&format=webp", true),
        ("w=300&h=300&fit=crop&g=attention", false),
        ("w=480&strip=none", true),
        ("w=400&cs=srgb", false),
        ("w=160&r=90&blur=1", false),
        ("w=100&format=png", false),
    ];

    [Fact]
    public async Task A_burst_of_variants_fetches_and_decodes_the_original_once_and_each_is_the_variant_made_without_the_cache()
    {
        await using var backends = await SharedBackends.CreateAsync();
        await using var keeping = await DirektTestServer.StartAsync(backends.Configuration);
        await using var plain = await DirektTestServer.StartAsync(backends.Configuration + "\ndecode-cache.memory = 0\n");
        var photo = CameraPhoto.Jpeg(1600, 1200, iccProfile: "p3");
        (await keeping.Client.PostAsync("/burst/keeping", photo)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await plain.Client.PostAsync("/burst/plain", photo)).StatusCode.Should().Be(HttpStatusCode.Created);
        var getsBefore = await Series(keeping, "direkt_storage_operations_total{store=\"s3\",operation=\"get\",outcome=\"ok\"}");

        foreach (var (query, same) in Burst)
        {
            var kept = await keeping.Client.GetAsync($"/assets/burst/keeping/-/content?{query}");
            var made = await plain.Client.GetAsync($"/assets/burst/plain/-/content?{query}");
            kept.StatusCode.Should().Be(HttpStatusCode.OK, query);
            made.StatusCode.Should().Be(HttpStatusCode.OK, query);
            kept.Content.Headers.ContentType.Should().Be(made.Content.Headers.ContentType);
            var (a, b) = (await kept.Content.ReadAsByteArrayAsync(), await made.Content.ReadAsByteArrayAsync());
            if (same)
            {
                a.Should().Equal(b, query);
                continue;
            }
            using var x = Pixels.Decode(a);
            using var y = Pixels.Decode(b);
            (x.Width, x.Height, x.Bands).Should().Be((y.Width, y.Height, y.Bands), query);
            using var difference = (x - y).Abs();
            difference.Avg().Should().BeLessThan(3, query + ": the same picture");
        }

        (await Series(keeping, "direkt_storage_operations_total{store=\"s3\",operation=\"get\",outcome=\"ok\"}") - getsBefore)
            .Should().Be(1, "the original is fetched from the bucket for the first variant only");
        (await Series(keeping, "direkt_decode_cache_renders_total{source=\"file\"}")).Should().Be(1);
        (await Series(keeping, "direkt_decode_cache_renders_total{source=\"memory\"}")).Should().Be(Burst.Length - 1);
        (await Series(keeping, "direkt_decode_cache_bytes")).Should().Be(1600 * 1200 * 3, "kept whole: the widest variant needs every pixel");
        (await Series(plain, "direkt_decode_cache_objects")).Should().Be(0);

        var stats = (await (await keeping.Client.GetAsync("/stats")).JsonAsync()).GetProperty("cache").GetProperty("decoded");
        stats.GetProperty("objects").GetInt32().Should().Be(1);
        stats.GetProperty("rendersFromMemory").GetInt64().Should().Be(Burst.Length - 1);
        stats.GetProperty("limitBytes").GetInt64().Should().Be(128L * 1024 * 1024);

        var stripped = await (await keeping.Client.GetAsync("/assets/burst/keeping/-/content?w=700")).Content.ReadAsByteArrayAsync();
        var kept480 = await (await keeping.Client.GetAsync("/assets/burst/keeping/-/content?w=480&strip=none")).Content.ReadAsByteArrayAsync();
        using (var image = Pixels.Decode(stripped))
        {
            image.GetFields().Should().NotContain(f => f.StartsWith("exif-ifd3", StringComparison.Ordinal), "no GPS by default");
            image.GetTypeOf("icc-profile-data").Should().NotBe(IntPtr.Zero, "a Display P3 picture keeps its profile");
        }
        using (var image = Pixels.Decode(kept480))
            image.GetFields().Should().Contain(f => f.StartsWith("exif-ifd3", StringComparison.Ordinal), "strip=none keeps the GPS block");
    }

    private static async Task<double> Series(DirektTestServer server, string name)
    {
        var metrics = await server.Client.GetStringAsync("/metrics");
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }
}
