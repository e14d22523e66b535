using Microsoft.Playwright;
using ThreatGraph.GraphApi.Tests;
using static Microsoft.Playwright.Assertions;

namespace ThreatGraph.GraphApi.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class GraphiQLTests(BrowserFixture browser)
{
    [Fact]
    public async Task GraphiQL_loads_the_schema_and_runs_the_tour_query_with_the_key()
    {
        await using var tab = await browser.NewPageAsync();
        await tab.OpenWithKeyAsync(browser.Host.BaseUrl + "/graphiql", DevKeys.JpAnalyst);

        // Schema docs: the explorer lists the root types once introspection has answered.
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Show Documentation Explorer" }).ClickAsync();
        await Expect(tab.Page.Locator(".graphiql-doc-explorer")).ToContainTextAsync("Subscription");
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Query" }).First.ClickAsync();
        await Expect(tab.Page.Locator(".graphiql-doc-explorer")).ToContainTextAsync("linkedCampaigns");

        // The first tab is the README tour's first query.
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Execute query (Ctrl-Enter)" }).ClickAsync();
        await Expect(tab.Page.Locator(".result-window")).ToContainTextAsync("\"typeCounts\"");
        await Expect(tab.Page.Locator(".result-window")).Not.ToContainTextAsync("errors");
        tab.AssertNoConsoleErrors();
        // The key went in headers and the socket's connection_init, never in a URL, and stays in this tab.
        Assert.DoesNotContain(tab.RequestedUrls, url => url.Contains(DevKeys.JpAnalyst, StringComparison.Ordinal));
        Assert.Equal(DevKeys.JpAnalyst, await tab.Page.EvaluateAsync<string>("sessionStorage.getItem('threatgraph.apiKey')"));
        Assert.Equal(0, await tab.Page.EvaluateAsync<int>($"Object.values(localStorage).filter(v => v.includes('{DevKeys.JpAnalyst}')).length"));
    }

    [Fact]
    public async Task GraphiQL_runs_a_subscription_over_graphql_transport_ws()
    {
        await SampleReports.IngestAsync(browser.Host, "jp-nisc-report.json", DevKeys.JpAnalyst);
        await using var tab = await browser.NewPageAsync();
        await tab.OpenWithKeyAsync(browser.Host.BaseUrl + "/graphiql", DevKeys.JpAnalyst);

        // The sixth example tab subscribes to the JP sample campaign; its first event is the current state.
        await tab.Page.Locator(".graphiql-tab").Nth(5).ClickAsync();
        await Expect(tab.Page.Locator(".graphiql-query-editor")).ToContainTextAsync("campaignUpdated");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Execute query (Ctrl-Enter)" }).ClickAsync();
        await Expect(tab.Page.Locator(".result-window")).ToContainTextAsync("\"SUBSCRIBED\"");
        Assert.Contains(tab.RequestedUrls, url => url.StartsWith("ws://127.0.0.1:", StringComparison.Ordinal) && url.EndsWith("/graphql", StringComparison.Ordinal));
        tab.AssertNoConsoleErrors();
    }
}
