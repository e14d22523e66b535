using ThreatGraph.GraphApi.Tests;
using static Microsoft.Playwright.Assertions;

namespace ThreatGraph.GraphApi.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ApiKeyTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/graphiql")]
    public async Task A_wrong_key_is_refused_with_a_clear_message_and_not_kept(string path)
    {
        await using var tab = await browser.NewPageAsync();
        await tab.OpenWithKeyAsync(browser.Host.BaseUrl + path, "not-a-real-key");

        var message = tab.Page.Locator("#key-message");
        await Expect(message).ToHaveTextAsync("This API key was refused by the server (unknown or revoked). Check the key and try again.");
        await Expect(message).ToHaveAttributeAsync("role", "alert");
        Assert.Null(await tab.Page.EvaluateAsync<string?>("sessionStorage.getItem('threatgraph.apiKey')"));
        Assert.DoesNotContain(tab.RequestedUrls, url => url.Contains("not-a-real-key", StringComparison.Ordinal));
        Assert.Equal(browser.Host.BaseUrl + path, tab.Page.Url);
        // The server logged the refusal, without the key.
        Assert.Contains(browser.Host.Logs.Lines, l => l.Contains("Authentication failed", StringComparison.Ordinal));
        browser.Host.Logs.AssertNeverLogged("not-a-real-key");
    }
}
