using Direkt.Http.Observability;

namespace Direkt.Tests.Http;

public sealed class LoggedTextTests
{
    [Theory]
    [InlineData("/assets/a/b", "/assets/a/b")]
    [InlineData("/assets/a\n[12:00:00 INF] forged", "/assets/a\\u000a[12:00:00 INF] forged")]
    [InlineData("/a\r\u0000\u001b[31m", "/a\\u000d\\u0000\\u001b[31m")]
    [InlineData("/ünïcode/日本", "/ünïcode/日本")]
    public void Control_characters_are_escaped_and_nothing_else_changes(string text, string logged) =>
        LoggedText.Escape(text).Should().Be(logged);
}
