using Direkt.Assets;
using Direkt.Http.Assets;

namespace Direkt.Tests.Assets;

public sealed class AssetAddressTests
{
    [Fact]
    public void A_bare_path_means_the_newest_asset_as_a_link()
    {
        var address = AssetAddress.Parse("/a/b", "GET");

        address.Path.Value.Should().Be("/a/b");
        address.Selector.Should().Be(AssetSelector.Newest);
        address.ReturnFormat.Should().Be(ReturnFormat.Link);
    }

    [Theory]
    [InlineData("/a/b/-/new/link", "new", ReturnFormat.Link)]
    [InlineData("/a/b/-/content", "new", ReturnFormat.Content)]
    [InlineData("/a/b/-/modified/info", "modified", ReturnFormat.Info)]
    [InlineData("/a/b/-/entry/7", "entry:7", ReturnFormat.Link)]
    [InlineData("/a/b/-/entry/0/download", "entry:0", ReturnFormat.Download)]
    [InlineData("/a/b/-/redirect", "new", ReturnFormat.Redirect)]
    public void Selectors_parse_in_order(string raw, string what, ReturnFormat how)
    {
        var address = AssetAddress.Parse(raw, "GET");

        var selector = address.Selector switch
        {
            AssetSelector.Entry e => $"entry:{e.EntryId}",
            AssetSelector.Ordered { Ordering: AssetOrdering.Modified } => "modified",
            _ => "new",
        };
        selector.Should().Be(what);
        address.ReturnFormat.Should().Be(how);
    }

    [Theory]
    [InlineData("/a/-/bogus", "GET")]
    [InlineData("/a/-/content/new", "GET")]
    [InlineData("/a/-/entry", "GET")]
    [InlineData("/a/-/entry/x", "GET")]
    [InlineData("/a/-/entry/-1", "GET")]
    [InlineData("/a/-/entry/1/2", "GET")]
    [InlineData("/a/-/", "GET")]
    [InlineData("/a/-", "GET")]
    [InlineData("/a/-/recursive", "GET")]
    [InlineData("/a/-/content", "POST")]
    [InlineData("/-/content", "GET")]
    [InlineData("", "GET")]
    [InlineData("/a/-/content/-/info", "GET")]
    public void Malformed_addresses_are_bad_requests(string raw, string method)
    {
        var act = () => AssetAddress.Parse(raw, method);

        act.Should().Throw<AssetException>().Which.Kind.Should().Be(AssetProblemKind.BadRequest);
    }
}
