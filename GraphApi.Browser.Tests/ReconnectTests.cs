using ThreatGraph.GraphApi.Tests;
using static Microsoft.Playwright.Assertions;

namespace ThreatGraph.GraphApi.Browser.Tests;

/// <summary>The server goes away and comes back on the same address: the page says it is offline meanwhile, then
/// reconnects by itself (back-off) and shows what the new server holds, without a reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReconnectTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_page_shows_offline_while_the_server_is_gone_and_reconnects_when_it_is_back()
    {
        var first = new BrowserHost();
        var port = first.Port;
        await using var tab = await browser.NewPageAsync();
        try
        {
            await tab.OpenWithKeyAsync(first.BaseUrl + "/", DevKeys.JpAnalyst);
            await Expect(tab.Page.Locator("#connection")).ToHaveTextAsync("live");
        }
        finally
        {
            first.Dispose();
        }
        await Expect(tab.Page.Locator("#connection")).ToHaveTextAsync("offline — reconnecting");

        // Memory storage: the new server starts empty; the campaign sent to it shows up on the same page.
        using var second = new BrowserHost(port);
        await SampleReports.IngestAsync(second, "jp-nisc-report.json", DevKeys.JpAnalyst);
        await Expect(tab.Page.Locator("#connection")).ToHaveTextAsync("live");
        await Expect(tab.Page.Locator("#campaigns")).ToContainTextAsync(SampleReports.JpCampaign);
    }
}
