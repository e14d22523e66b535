using Microsoft.Playwright;

namespace ThreatGraph.GraphApi.Browser.Tests;

/// <summary>One host and one headless Debian Chromium for the collection. Chromium is never downloaded: without
/// /usr/bin/chromium every test fails with a message saying how to install it (never skipped).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    IPlaywright? _playwright;

    public BrowserHost Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new FileNotFoundException($"{ChromiumPath} is missing: the browser tests need Debian's Chromium (apt-get install -y chromium; .ci/run installs it)");
        }
        // Waiting for the page (a live event, a reconnect) may take a while on a busy 2-core machine: a deadline, not a measurement.
        Assertions.SetDefaultExpectTimeout(60_000);
        Host = new BrowserHost();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
    }

    /// <summary>A fresh browser context (its own sessionStorage) and page; console errors are collected so that a test
    /// can assert that the Content-Security-Policy blocked nothing.</summary>
    public async Task<BrowserPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        return new BrowserPage(context, page);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        Host?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
