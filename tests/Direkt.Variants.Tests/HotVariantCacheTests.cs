namespace Direkt.Variants.Tests;

/// <summary>`hit-cache` (issue 11): small variants in memory, bounded by bytes, least recently served evicted first.</summary>
public sealed class HotVariantCacheTests
{
    private static byte[] Bytes(int length, byte fill) => Enumerable.Repeat(fill, length).ToArray();

    [Fact]
    public void Keeps_small_objects_and_returns_the_same_bytes()
    {
        var cache = new HotVariantCache(new HotVariantCacheOptions { MaxBytes = 1000, MaxObjectBytes = 100 });
        cache.Add("b", "k1", Bytes(100, 1));

        cache.TryGet("b", "k1", out var bytes).Should().BeTrue();
        bytes.Should().Equal(Bytes(100, 1));
        cache.TryGet("other-bucket", "k1", out _).Should().BeFalse("objects are named by bucket and key");
        cache.Bytes.Should().Be(100);
    }

    [Fact]
    public void Never_keeps_an_object_over_the_object_limit_or_an_eighth_of_the_room()
    {
        var cache = new HotVariantCache(new HotVariantCacheOptions { MaxBytes = 800, MaxObjectBytes = 500 });

        cache.Keeps(100).Should().BeTrue();
        cache.Keeps(101).Should().BeFalse("an eighth of 800");
        cache.Add("b", "big", Bytes(101, 1));
        cache.TryGet("b", "big", out _).Should().BeFalse();
        new HotVariantCache(new HotVariantCacheOptions { MaxBytes = 0 }).Keeps(1).Should().BeFalse("memory = 0 turns it off");
    }

    [Fact]
    public async Task Stays_within_its_bytes_and_evicts_the_least_recently_served_first()
    {
        var cache = new HotVariantCache(new HotVariantCacheOptions { MaxBytes = 1000, MaxObjectBytes = 100 });
        for (var i = 0; i < 10; i++)
        {
            cache.Add("b", $"k{i}", Bytes(100, (byte)i));
            await Task.Delay(5); // the clock of "recently" is Environment.TickCount64 (milliseconds)
        }
        cache.TryGet("b", "k0", out _).Should().BeTrue(); // k0 is now the most recently served

        cache.Add("b", "k10", Bytes(100, 10));

        cache.Bytes.Should().BeLessThanOrEqualTo(1000);
        cache.TryGet("b", "k0", out _).Should().BeTrue("it was served last");
        cache.TryGet("b", "k10", out _).Should().BeTrue("it was just added");
        cache.TryGet("b", "k1", out _).Should().BeFalse("the least recently served go first, until a tenth is free");
        cache.TryGet("b", "k2", out _).Should().BeFalse();
        cache.TryGet("b", "k3", out _).Should().BeTrue();
    }

    [Fact]
    public void Many_writers_never_push_it_past_its_room_by_more_than_a_few_objects()
    {
        var cache = new HotVariantCache(new HotVariantCacheOptions { MaxBytes = 64 * 1024, MaxObjectBytes = 4 * 1024 });
        Parallel.For(0, 10_000, i => cache.Add("b", $"k{i}", new byte[1 + i % 4096]));

        cache.Bytes.Should().BeLessThanOrEqualTo(64 * 1024 + 8 * 4096);
        cache.Bytes.Should().Be(Enumerable.Range(0, 10_000).Sum(i => cache.TryGet("b", $"k{i}", out var b) ? (long)b.Length : 0),
            "the byte count is exactly what is kept");
    }
}
