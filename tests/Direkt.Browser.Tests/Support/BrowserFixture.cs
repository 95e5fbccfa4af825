using Microsoft.Playwright;

namespace Direkt.Browser.Tests.Support;

/// <summary>
/// One headless Debian chromium for the whole test run, driven by Playwright. Playwright's own browser builds are never
/// downloaded (their host is out of reach): the browser is launched by path. A missing browser fails every browser test with
/// the reason, never skips it.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's package (scripts/test installs it); TESTS_CHROMIUM points elsewhere.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("TESTS_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser fixture was not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException(
                $"{ExecutablePath} is missing: the browser tests need Debian's chromium (apt-get install chromium; scripts/test installs it " +
                "when it runs as root), or TESTS_CHROMIUM set to a Chromium executable.");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Chromium's sandbox refuses to start as root (CI runs as root); /dev/shm is small in containers.
            Args = Environment.IsPrivilegedProcess ? ["--no-sandbox", "--disable-dev-shm-usage"] : ["--disable-dev-shm-usage"],
            Timeout = 60_000,
        });
    }

    /// <summary>A fresh page in its own context (no shared cookies or cache), recording what went wrong while it ran.</summary>
    public async Task<WatchedPage> NewPageAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        return new WatchedPage(context, page);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>Every browser test class is in this collection, so the run starts chromium once.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
