using Direkt.Assets.Transformations;

namespace Direkt.Assets.Tests.Transformations;

/// <summary>`dpr` (docs/api.md): multiplied into w/h at parse time, so it never reaches the canonical key.</summary>
public sealed class DprTests
{
    private static Dictionary<string, string> Query(string query) =>
        query.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));

    private static string Key(string query, int maxOutputDimension = 8192)
    {
        var request = TransformationParser.TryParse(Query(query), maxOutputDimension, out var errors);
        errors.Should().BeEmpty(query);
        return TransformationNormalizer.Normalize(request!, "jpg").Key;
    }

    private static IReadOnlyDictionary<string, string[]> Errors(string query, int maxOutputDimension = 8192)
    {
        TransformationParser.TryParse(Query(query), maxOutputDimension, out var errors).Should().BeNull(query);
        return errors;
    }

    [Theory]
    [InlineData("w=100&dpr=2", "w=200")]
    [InlineData("w=100&dpr=1", "w=100")]
    [InlineData("w=100&dpr=1.0", "w=100")]
    [InlineData("dpr=2.5&h=100", "h=250")]
    [InlineData("w=101&dpr=1.5", "w=152")]    // 151.5 rounded half up
    [InlineData("w=33&h=7&dpr=1.5&fit=crop", "w=50&h=11&fit=crop")] // 49.5 → 50, 10.5 → 11
    [InlineData("w=100&dpr=4", "w=400")]
    [InlineData("w=100&pad=10&dpr=2", "w=200&pad=10")] // pad is not scaled
    [InlineData("w=2048&dpr=4", "w=8192")]   // exactly the limit
    public void Dpr_is_normalized_into_w_and_h(string query, string sameAs)
    {
        Key(query).Should().Be(Key(sameAs));
        Key(query).Should().NotContain("dpr");
    }

    [Theory]
    [InlineData("w=100&dpr=0.5")]
    [InlineData("w=100&dpr=4.5")]
    [InlineData("w=100&dpr=1.25")]
    [InlineData("w=100&dpr=2x")]
    [InlineData("w=100&dpr=-2")]
    [InlineData("w=100&dpr=")]
    [InlineData("w=100&dpr=1e0")]
    [InlineData("dpr=2")]                      // needs w or h
    [InlineData("w=2049&dpr=4")]               // 8196 > limits.max-output-dimension
    [InlineData("h=3000&w=10&dpr=3")]
    public void Bad_dpr_is_a_400_naming_dpr(string query)
    {
        Errors(query).Keys.Should().Equal("dpr");
    }

    [Fact]
    public void The_limit_is_the_configured_max_output_dimension()
    {
        Errors("w=300&dpr=2", maxOutputDimension: 500)["dpr"].Single().Should().Contain("500");
        Key("w=250&dpr=2", maxOutputDimension: 500).Should().Be(Key("w=500"));
    }
}
