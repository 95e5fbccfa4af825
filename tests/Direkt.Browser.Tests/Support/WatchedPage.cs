using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Direkt.Browser.Tests.Support;

/// <summary>
/// A browser page that records console errors, uncaught script errors and failed requests (network failures and answers of
/// 400 or more), so a test can say "the page worked" and see what did not.
/// </summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly ConcurrentQueue<string> _failedRequests = new();

    internal WatchedPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            // Chromium asks every top-level document's server for /favicon.ico by itself; Direkt has none, which is no page error.
            if (message.Type == "error" && !message.Location.Contains("/favicon.ico", StringComparison.Ordinal))
                _consoleErrors.Enqueue($"{message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => _consoleErrors.Enqueue("uncaught: " + error);
        page.RequestFailed += (_, request) => _failedRequests.Enqueue($"{request.Method} {request.Url}: {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400) _failedRequests.Enqueue($"{response.Request.Method} {response.Url}: {response.Status}");
        };
    }

    public IPage Page { get; }
    public IReadOnlyCollection<string> ConsoleErrors => _consoleErrors.ToArray();
    public IReadOnlyCollection<string> FailedRequests => _failedRequests.ToArray();

    /// <summary>Fails the test with the list when the page logged an error or a request failed.</summary>
    public void ShouldHaveNoErrors()
    {
        ConsoleErrors.Should().BeEmpty("the page must not log console errors");
        FailedRequests.Should().BeEmpty("every request of the page must succeed");
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
