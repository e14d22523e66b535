using System.Globalization;
using System.Text.Json.Nodes;
using ThreatGraph.GraphApi.Tests;
using ThreatGraph.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace ThreatGraph.GraphApi.Browser.Tests;

/// <summary>A campaign with 5,000 objects around it: the page draws a capped part, says so, and stays usable.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LargeClusterTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_5000_node_neighbourhood_is_drawn_capped_with_a_notice_and_can_be_expanded()
    {
        var campaign = StixBuilder.Sdo("campaign", name: "Large campaign " + Guid.NewGuid().ToString("N")[..6]);
        var objects = new List<JsonObject> { campaign };
        for (var i = 0; i < 2500; i++)
        {
            var pattern = StixBuilder.Sdo("attack-pattern", name: $"technique {i}");
            objects.Add(pattern);
            objects.Add(StixBuilder.Relationship(campaign["id"]!.GetValue<string>(), "uses", pattern["id"]!.GetValue<string>()));
        }
        var (status, report) = await browser.Host.PostBundleAsync(ApiFactory.Bundle([.. objects]), DevKeys.JpAnalyst);
        Assert.True(status == System.Net.HttpStatusCode.OK && report["totals"]!["created"]!.GetValue<int>() == 5001, report["totals"]?.ToJsonString());

        await using var tab = await browser.NewPageAsync();
        await tab.OpenWithKeyAsync(browser.Host.BaseUrl + "/#/campaign/" + campaign["id"], DevKeys.JpAnalyst);
        var graph = tab.Page.Locator("#graph");
        await Expect(graph).ToHaveAttributeAsync("data-ready", "true");
        await Expect(graph).ToHaveAttributeAsync("data-partial", "true");
        await Expect(tab.Page.Locator("#graph-notice")).ToContainTextAsync("The neighbourhood holds more than the 300 objects fetched. Click a node to draw its neighbours.");
        var before = DrawnCount(await graph.GetAttributeAsync("data-nodes"));
        Assert.InRange(before, 2, 300);

        // The page still answers: selecting the campaign shows its STIX and draws up to 100 more of its neighbours.
        await tab.Page.Locator("details.node-list summary").ClickAsync();
        await tab.Page.Locator("#graph-nodes button", new() { HasText = "campaign: " + campaign["name"] }).ClickAsync();
        await Expect(tab.Page.Locator("#object-stix")).ToContainTextAsync(campaign["id"]!.GetValue<string>());
        await Expect(graph).Not.ToHaveAttributeAsync("data-nodes", before.ToString(CultureInfo.InvariantCulture));
        Assert.InRange(DrawnCount(await graph.GetAttributeAsync("data-nodes")), before + 1, 500);
        tab.AssertNoConsoleErrors();
    }

    static int DrawnCount(string? value) => int.Parse(value ?? "-1", CultureInfo.InvariantCulture);
}
