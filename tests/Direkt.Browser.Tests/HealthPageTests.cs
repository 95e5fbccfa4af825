using System.Text.Json;
using Direkt.Browser.Tests.Support;
using Direkt.Tests.Support;

namespace Direkt.Browser.Tests;

/// <summary>The browser infrastructure itself: chromium reaches a real Direkt server and the watcher sees what went wrong.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HealthPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_health_document_loads_in_a_page()
    {
        await using var server = await DirektTestServer.StartAsync();
        await using var page = await browser.NewPageAsync();

        var response = await page.Page.GotoAsync(new Uri(server.Client.BaseAddress!, "/health").ToString());

        response!.Status.Should().Be(200);
        var text = await page.Page.Locator("body").InnerTextAsync();
        JsonDocument.Parse(text).RootElement.GetProperty("status").GetString().Should().Be("ok");
        page.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task A_missing_page_is_recorded_as_a_failed_request()
    {
        await using var server = await DirektTestServer.StartAsync();
        await using var page = await browser.NewPageAsync();

        await page.Page.GotoAsync(new Uri(server.Client.BaseAddress!, "/no-such-route").ToString());

        page.FailedRequests.Should().ContainSingle(f => f.Contains("/no-such-route") && f.EndsWith(": 404"));
    }

    [Fact]
    public async Task A_script_error_is_recorded_as_a_console_error()
    {
        await using var page = await browser.NewPageAsync();

        await page.Page.SetContentAsync("<script>console.error('broken on purpose')</script>");

        page.ConsoleErrors.Should().ContainSingle(e => e.Contains("broken on purpose"));
    }
}
