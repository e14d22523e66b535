using Microsoft.Playwright;
using ThreatGraph.GraphApi.Tests;
using static Microsoft.Playwright.Assertions;

namespace ThreatGraph.GraphApi.Browser.Tests;

/// <summary>The README's "done when": an analyst watches the JP and US campaigns appear and link, without reloading.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveDashboardTests(BrowserFixture browser)
{
    [Fact]
    public async Task New_campaign_then_its_link_appear_without_reload()
    {
        // A host of its own: the campaign must be new after the page has loaded.
        using var host = new BrowserHost();
        await using var tab = await browser.NewPageAsync();
        await tab.OpenWithKeyAsync(host.BaseUrl + "/", DevKeys.JpAnalyst);
        await Expect(tab.Page.Locator("#connection")).ToHaveTextAsync("live");
        await Expect(tab.Page.Locator("#campaigns")).ToContainTextAsync("No campaign you may see yet");
        var loads = 0;
        tab.Page.Load += (_, _) => loads++;

        await SampleReports.IngestAsync(host, "jp-nisc-report.json", DevKeys.JpAnalyst);
        var jpRow = tab.Page.Locator($"tr[data-campaign-id='{SampleReports.CampaignId("jp-nisc-report.json")}']");
        await Expect(jpRow).ToContainTextAsync(SampleReports.JpCampaign);
        await Expect(jpRow.Locator(".linked")).ToHaveTextAsync("—");
        // Its campaignUpdated subscription is live (the SUBSCRIBED event arrived) before the US report goes in.
        await Expect(jpRow).ToHaveAttributeAsync("data-live", "true");

        await SampleReports.IngestAsync(host, "us-cisa-report.json", DevKeys.UsAnalyst);
        await Expect(jpRow.Locator(".linked")).ToHaveTextAsync(SampleReports.UsCampaign);
        // The change came as a live event on the JP campaign's subscription, not only from a re-read.
        await Expect(jpRow.Locator(".last-event")).ToContainTextAsync("NEW_LINK");
        await Expect(jpRow).ToContainTextAsync("jp-nisc, us-cisa");
        await Expect(tab.Page.Locator("#clusters")).ToContainTextAsync(SampleReports.UsCampaign);
        Assert.Equal(0, loads);
        Assert.Equal(host.BaseUrl + "/", tab.Page.Url);
        tab.AssertNoConsoleErrors();
        Assert.NotEmpty(host.Logs.Lines);
        host.Logs.AssertNeverLogged(DevKeys.JpAnalyst);
        host.Logs.AssertNeverLogged(DevKeys.UsAnalyst);
        await tab.ScreenshotAsync("dashboard.png");
    }
}
