using ThreatGraph.GraphApi.Tests;
using static Microsoft.Playwright.Assertions;

namespace ThreatGraph.GraphApi.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class IngestPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_bundle_file_is_ingested_and_each_object_outcome_is_listed()
    {
        var bundle = ApiFactory.Bundle(
            ThreatGraph.TestSupport.StixBuilder.Sdo("campaign", name: "Ingest page campaign"),
            new System.Text.Json.Nodes.JsonObject { ["type"] = "campaign", ["id"] = "campaign--not-a-uuid", ["name"] = "broken" });
        await using var tab = await browser.NewPageAsync();
        await tab.OpenWithKeyAsync(browser.Host.BaseUrl + "/#/ingest", DevKeys.JpAnalyst);
        await tab.Page.Locator("#bundle-file").SetInputFilesAsync(new Microsoft.Playwright.FilePayload
        {
            Name = "bundle.json", MimeType = "application/json", Buffer = System.Text.Encoding.UTF8.GetBytes(bundle),
        });

        await Expect(tab.Page.Locator("#ingest-totals")).ToHaveTextAsync("bundle.json: 2 objects — 1 created, 0 updated, 0 unchanged, 1 rejected.");
        await Expect(tab.Page.Locator("#ingest-objects tbody tr[data-outcome='CREATED']")).ToContainTextAsync("campaign");
        await Expect(tab.Page.Locator("#ingest-objects tbody tr[data-outcome='REJECTED']")).ToContainTextAsync("$.objects[1]");
        tab.AssertNoConsoleErrors();
    }
}
