using System.Net;
using Direkt.Variants;
using Direkt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Direkt.Tests.Http;

/// <summary>`transform.expire`: ttl and idle strategies, records first, objects through the outbox (API.md §5).</summary>
public sealed class VariantExpiryTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }

    private static async Task<int> VariantCount(DirektTestServer server, string path) =>
        (await (await server.Client.GetAsync($"/assets{path}/-/info")).JsonAsync()).GetProperty("variants").GetArrayLength() - 1;

    [Fact]
    public async Task Ttl_expires_variants_from_creation_and_idle_from_last_use()
    {
        var clock = new ManualClock();
        await using var server = await DirektTestServer.StartAsync("""
            paths {
              "/ttl/**" { transform.expire { strategy = ttl, ttl = 1h } }
              "/idle/**" { transform.expire { strategy = idle, ttl = 1h } }
            }
            """, services: s => s.AddSingleton<TimeProvider>(clock));
        var expiry = server.Services.GetRequiredService<VariantExpiry>();
        foreach (var path in new[] { "/ttl/a", "/idle/a", "/never/a" })
        {
            await server.Client.PostAsync(path, TestImages.Jpeg(100, 80));
            await server.Client.GetAsync($"/assets{path}/-/content?w=20");
        }

        clock.Advance(TimeSpan.FromMinutes(50));
        await server.Client.GetAsync("/assets/ttl/a/-/content?w=20");   // use does not matter for ttl
        await server.Client.GetAsync("/assets/idle/a/-/content?w=20");  // use keeps an idle variant
        clock.Advance(TimeSpan.FromMinutes(20));
        var first = await expiry.RunOnceAsync(default);

        first.Should().Be(1);
        (await VariantCount(server, "/ttl/a")).Should().Be(0, "created 70 min ago with a 1 h ttl");
        (await VariantCount(server, "/idle/a")).Should().Be(1, "used 20 min ago");
        (await VariantCount(server, "/never/a")).Should().Be(1);

        clock.Advance(TimeSpan.FromMinutes(45));
        (await expiry.RunOnceAsync(default)).Should().Be(1);
        (await VariantCount(server, "/idle/a")).Should().Be(0, "unused for 65 min");
        (await VariantCount(server, "/never/a")).Should().Be(1, "the default strategy never expires");
        (await server.Client.GetAsync("/assets/ttl/a/-/content")).StatusCode.Should().Be(HttpStatusCode.OK, "originals never expire");
        var again = await server.Client.GetAsync("/assets/ttl/a/-/content?w=20");
        again.Headers.GetValues("Cache-Status").Should().Equal(new[] { "direkt; fwd=miss; stored" }, "an expired variant is made again on demand");
    }

    [Fact]
    public async Task The_background_reaper_removes_an_expired_variant_and_its_object_within_seconds()
    {
        await using var server = await DirektTestServer.StartAsync("""paths { "/**" { transform.expire { strategy = ttl, ttl = 1s } } }""");
        await server.Client.PostAsync("/quick/a", TestImages.Jpeg(100, 80));
        (await server.Client.GetAsync("/assets/quick/a/-/content?w=20")).Headers.GetValues("Cache-Status")
            .Should().Equal(new[] { "direkt; fwd=miss; stored" }, "the variant was made and stored");

        await UpdateAndDeleteTests.Eventually(() => server.StoredFiles().Count == 1, "the variant's object is gone, the original stays");

        (await VariantCount(server, "/quick/a")).Should().Be(0);
    }
}
