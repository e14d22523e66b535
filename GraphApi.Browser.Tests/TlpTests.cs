using System.Text.Json.Nodes;
using ThreatGraph.GraphApi.Tests;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace ThreatGraph.GraphApi.Browser.Tests;

/// <summary>The page shows what the server lets the key see: another organisation's TLP:RED campaign never appears.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TlpTests(BrowserFixture browser)
{
    [Fact]
    public async Task Another_organisations_red_campaign_is_not_on_the_dashboard()
    {
        var token = Guid.NewGuid().ToString("N")[..8];
        var red = StixBuilder.Sdo("campaign", name: $"Red campaign {token}");
        red["object_marking_refs"] = new JsonArray(Tlp.RedId);
        var green = StixBuilder.Sdo("campaign", name: $"Green campaign {token}");
        green["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        var (status, report) = await browser.Host.PostBundleAsync(ApiFactory.Bundle(red, green), DevKeys.JpAnalyst);
        Assert.True(status == System.Net.HttpStatusCode.OK && report["totals"]!["created"]!.GetValue<int>() == 2, report.ToJsonString());

        // The reporter sees both (so the page can show a RED campaign at all) ...
        await using (var jp = await browser.NewPageAsync())
        {
            await jp.OpenWithKeyAsync(browser.Host.BaseUrl + "/", DevKeys.JpAnalyst);
            await Expect(jp.Page.Locator("#campaigns")).ToContainTextAsync($"Red campaign {token}");
            await Expect(jp.Page.Locator($"tr[data-campaign-id='{red["id"]}']")).ToContainTextAsync("TLP:RED");
        }

        // ... the other organisation sees the GREEN one, which came in the same bundle, and not the RED one.
        await using var us = await browser.NewPageAsync();
        await us.OpenWithKeyAsync(browser.Host.BaseUrl + "/", DevKeys.UsAnalyst);
        await Expect(us.Page.Locator("#campaigns")).ToContainTextAsync($"Green campaign {token}");
        Assert.DoesNotContain(token + "", (await us.Page.Locator("#campaigns").InnerTextAsync()).Replace($"Green campaign {token}", "", StringComparison.Ordinal));
        Assert.DoesNotContain(red["id"]!.GetValue<string>(), await us.Page.ContentAsync());

        // Nor by its address: the campaign view answers as for an unknown id.
        await us.Page.GotoAsync(browser.Host.BaseUrl + "/#/campaign/" + red["id"]);
        await Expect(us.Page.Locator("h1")).ToHaveTextAsync("Campaign not found");
    }
}
