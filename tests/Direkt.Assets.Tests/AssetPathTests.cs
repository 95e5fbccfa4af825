using Direkt.Assets;

namespace Direkt.Assets.Tests;

public sealed class AssetPathTests
{
    [Theory]
    [InlineData("/users/123/avatar")]
    [InlineData("/a")]
    [InlineData("/A-z_0.9~x/file.name")]
    [InlineData("/a/..b/c..")]
    public void Valid_paths_are_accepted(string path) => AssetPath.Parse(path).Value.Should().Be(path);

    [Theory]
    [InlineData("/", "at least one segment")]
    [InlineData("/a//b", "empty path segment")]
    [InlineData("/a/", "empty path segment")]
    [InlineData("/a/./b", "'.' is not allowed")]
    [InlineData("/a/../b", "'..' is not allowed")]
    [InlineData("/a/-/b", "'-' separates")]
    [InlineData("/a b", "contains ' '")]
    [InlineData("/a%2Fb", "contains '%'")]
    [InlineData("/a\\b", "contains '\\'")]
    [InlineData("/a\u0001b", "contains '\\u0001'")]
    [InlineData("/caf\u00e9", "contains '\u00e9'")]
    public void Invalid_paths_are_refused_with_the_reason(string path, string reason)
    {
        AssetPath.TryCreate(path.TrimStart('/').Split('/'), out var problem).Should().BeNull();
        problem.Should().Contain(reason);
    }

    [Fact]
    public void Segment_count_and_lengths_are_bounded()
    {
        AssetPath.TryCreate([new string('a', 128)], out _).Should().NotBeNull();
        AssetPath.TryCreate([new string('a', 129)], out var tooLong).Should().BeNull();
        tooLong.Should().Contain("128");

        AssetPath.TryCreate(Enumerable.Repeat("s", 32).ToArray(), out _).Should().NotBeNull();
        AssetPath.TryCreate(Enumerable.Repeat("s", 33).ToArray(), out var tooMany).Should().BeNull();
        tooMany.Should().Contain("32 segments");

        AssetPath.TryCreate(Enumerable.Repeat(new string('x', 100), 11).ToArray(), out var tooLongTotal).Should().BeNull();
        tooLongTotal.Should().Contain("1024");
    }

    [Fact]
    public void Paths_are_case_sensitive() =>
        AssetPath.Parse("/Users/A").Should().NotBe(AssetPath.Parse("/users/a"));
}
