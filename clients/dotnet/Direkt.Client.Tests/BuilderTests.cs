namespace Direkt.Client.Tests;

public sealed class BuilderTests
{
    private static readonly DirektClient Client = new(new HttpClient(), new DirektClientOptions { BaseUrl = new Uri("https://img.example.com/") });

    [Fact]
    public void Parameters_go_out_in_the_table_order_percent_encoded()
    {
        new Transformation { Format = "webp", W = 300, PadColor = "#ff0000", Pad = 4, Enlarge = true, Dpr = 1.5, Blur = 0.25 }.ToQuery()
            .Should().Be("w=300&dpr=1.5&format=webp&blur=0.25&pad=4&pad-c=%23ff0000&enlarge=true");
        new Transformation().ToQuery().Should().BeEmpty();
    }

    [Fact]
    public void Urls_follow_the_path_grammar_and_the_selectors()
    {
        Client.Url("/users/1/avatar", new Transformation { W = 10 }).Should().Be("https://img.example.com/assets/users/1/avatar/-/new/content?w=10");
        Client.Url("/a", null, ReturnFormat.Info, Selector.Entry(4)).Should().Be("https://img.example.com/assets/a/-/entry/4/info");
        Client.Url("/a", null, ReturnFormat.Link).Should().Be("https://img.example.com/assets/a");
        Client.Url("/a", null, ReturnFormat.Download, Selector.Modified).Should().Be("https://img.example.com/assets/a/-/modified/download");
        foreach (var bad in new[] { "a", "/a/", "/a//b", "/a/-/b", "/a/../b", "/a b", "/ä" })
            FluentActions.Invoking(() => Client.Url(bad)).Should().Throw<ArgumentException>(bad);
    }

    [Fact]
    public void A_srcset_has_one_width_descriptor_per_width()
    {
        Client.Srcset("/p", [640, 320, 320], new Transformation { Format = "avif" }).Should().Be(
            "https://img.example.com/assets/p/-/new/content?w=320&format=avif 320w, https://img.example.com/assets/p/-/new/content?w=640&format=avif 640w");
    }
}
