using Microsoft.Playwright;
using ThreatGraph.TestSupport;

namespace ThreatGraph.GraphApi.Browser.Tests;

/// <summary>A page in its own browser context, with what the browser reported: console errors (a CSP violation is
/// one) and every URL it requested or opened a WebSocket to (to check that no key travels in one).</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    readonly IBrowserContext _context;

    public BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (ConsoleErrors) ConsoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => { lock (ConsoleErrors) ConsoleErrors.Add(error); };
        page.Request += (_, request) => { lock (RequestedUrls) RequestedUrls.Add(request.Url); };
        page.WebSocket += (_, socket) => { lock (RequestedUrls) RequestedUrls.Add(socket.Url); };
    }

    public IPage Page { get; }

    public List<string> ConsoleErrors { get; } = [];

    public List<string> RequestedUrls { get; } = [];

    /// <summary>Opens a page of the app and enters the key in its key field.</summary>
    public async Task OpenWithKeyAsync(string url, string apiKey)
    {
        await Page.GotoAsync(url);
        await Page.Locator("#api-key").FillAsync(apiKey);
        await Page.Locator("#key-form button[type=submit]").ClickAsync();
    }

    /// <summary>Nothing the Content-Security-Policy refused, no script error.</summary>
    public void AssertNoConsoleErrors()
    {
        lock (ConsoleErrors)
        {
            Assert.True(ConsoleErrors.Count == 0, "browser console errors: " + string.Join(" | ", ConsoleErrors));
        }
    }

    /// <summary>Saves a screenshot of the page (or of one element): to docs/screenshots/, where the README shows it, when
    /// TG_SCREENSHOTS=1 (they carry timestamps, so every run would change the checkout); otherwise beside the test binaries.</summary>
    public async Task ScreenshotAsync(string name, string? selector = null)
    {
        var folder = Environment.GetEnvironmentVariable("TG_SCREENSHOTS") == "1"
            ? Path.Combine(RepoRoot.Path, "docs", "screenshots")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        if (selector is null)
        {
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        }
        else
        {
            await Page.Locator(selector).ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
        }
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
