using Direkt.Assets;
using Direkt.Http.Assets;

namespace Direkt.Tests.Assets;

public sealed class AssetMetadataTests
{
    [Fact]
    public void Metadata_within_limits_is_valid()
    {
        var metadata = new AssetMetadata(new string('a', 125),
            Enumerable.Range(0, 50).ToDictionary(i => new string('k', 126) + i.ToString("00"), i => new string('v', 256)),
            Enumerable.Range(0, 50).Select(i => new string('t', 255) + i % 10).ToList());

        metadata.Validate().Should().BeEmpty();
    }

    [Fact]
    public void Every_limit_is_reported_by_field()
    {
        var metadata = new AssetMetadata(new string('a', 126),
            Enumerable.Range(0, 51).ToDictionary(i => "k" + i, i => "v"),
            Enumerable.Range(0, 51).Select(i => "t" + i).Append(new string('t', 257)).ToList());

        var errors = metadata.Validate();

        errors.Keys.Should().BeEquivalentTo("alt", "labels", "tags");
        errors["alt"].Should().Contain("at most 125 characters");
        errors["labels"].Should().Contain("at most 50 labels");
        errors["tags"].Should().Contain(["at most 50 tags", "tags have 1–256 characters"]);
    }

    [Fact]
    public void Label_keys_and_values_are_bounded()
    {
        new AssetMetadata(null, new Dictionary<string, string> { [new string('k', 129)] = "v" }, []).Validate()
            .Should().ContainKey("labels");
        new AssetMetadata(null, new Dictionary<string, string> { ["k"] = new string('v', 257) }, []).Validate()
            .Should().ContainKey("labels");
        new AssetMetadata(null, new Dictionary<string, string> { [""] = "v" }, []).Validate().Should().ContainKey("labels");
    }

    [Fact]
    public void Metadata_json_is_read_strictly()
    {
        var metadata = MetadataJson.Parse("""{"alt":"A cat","labels":{"phone":"android"},"tags":["pet","cat"]}"""u8);

        metadata.Alt.Should().Be("A cat");
        metadata.Labels.Should().Equal(new Dictionary<string, string> { ["phone"] = "android" });
        metadata.Tags.Should().Equal("pet", "cat");
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("""{"alt": 5}""")]
    [InlineData("""{"labels": {"a": 1}}""")]
    [InlineData("""{"labels": {"a": null}}""")]
    [InlineData("""{"tags": "pet"}""")]
    [InlineData("""{"tags": [null]}""")]
    [InlineData("""{"colour": "red"}""")]
    [InlineData("""{"alt": "a", "alt": "b"}""")]
    [InlineData("""{"labels": {"a": "1", "a": "2"}}""")]
    [InlineData("""{"labels": {"a": {"b": {"c": {"d": "deep"}}}}}""")]
    public void Malformed_metadata_json_is_a_bad_request(string json)
    {
        var act = () => MetadataJson.Parse(System.Text.Encoding.UTF8.GetBytes(json));

        act.Should().Throw<AssetException>().Which.Kind.Should().Be(AssetProblemKind.BadRequest);
    }
}
