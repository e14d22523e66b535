using ThreatGraph.GraphApi.Tests;
using static Microsoft.Playwright.Assertions;

namespace ThreatGraph.GraphApi.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class CampaignGraphTests(BrowserFixture browser)
{
    [Fact]
    public async Task Campaign_graph_draws_its_neighbourhood_and_the_evidence_path_and_shows_a_node_stix()
    {
        await SampleReports.IngestAsync(browser.Host, "jp-nisc-report.json", DevKeys.JpAnalyst);
        await SampleReports.IngestAsync(browser.Host, "us-cisa-report.json", DevKeys.UsAnalyst);
        await using var tab = await browser.NewPageAsync();
        await tab.OpenWithKeyAsync(browser.Host.BaseUrl + "/", DevKeys.JpAnalyst);
        await tab.Page.Locator("a.campaign-name", new() { HasText = SampleReports.JpCampaign }).ClickAsync();

        await Expect(tab.Page.Locator("#graph")).ToHaveAttributeAsync("data-ready", "true");
        await Expect(tab.Page.Locator("h1")).ToHaveTextAsync(SampleReports.JpCampaign);
        var nodes = tab.Page.Locator("#graph-nodes li");
        // The campaign, its malware and intrusion set, and the shared C2 address and domain (within two hops or on
        // the evidence path), and the US campaign at the other end of the evidence path.
        foreach (var expected in new[]
                 {
                     "campaign: Operation Cherry Frost", "malware: FROSTBYTE", "ipv4-addr: 203.0.113.5",
                     "domain-name: update-check.example.net", "campaign: Operation Harbor Lantern",
                 })
        {
            await Expect(nodes.Filter(new() { HasText = expected })).ToHaveCountAsync(1);
        }
        await Expect(tab.Page.Locator("#linked-campaigns")).ToContainTextAsync(SampleReports.UsCampaign);
        Assert.Equal(await nodes.CountAsync(), int.Parse(await tab.Page.Locator("#graph").GetAttributeAsync("data-nodes") ?? "-1", System.Globalization.CultureInfo.InvariantCulture));

        // Selecting a node (here from the text list beside the drawing) shows its properties and stored STIX in the side panel.
        await tab.Page.Locator("details.node-list summary").ClickAsync();
        await tab.Page.Locator("#graph-nodes button", new() { HasText = "ipv4-addr: 203.0.113.5" }).ClickAsync();
        await Expect(tab.Page.Locator("#object-stix")).ToContainTextAsync("\"value\": \"203.0.113.5\"");
        await Expect(tab.Page.Locator("#object-panel")).ToContainTextAsync("jp-nisc, us-cisa");
        await tab.Page.Locator("details.node-list summary").ClickAsync(); // closed again for the screenshot
        tab.AssertNoConsoleErrors();
        await tab.ScreenshotAsync("campaign-graph.png", "main");
    }
}
