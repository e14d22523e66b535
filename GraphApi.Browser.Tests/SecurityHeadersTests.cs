using System.Text.RegularExpressions;
using ThreatGraph.GraphApi.Hosting;

namespace ThreatGraph.GraphApi.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed partial class SecurityHeadersTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/graphiql")]
    [InlineData("/assets/dashboard.js")]
    [InlineData("/assets/graphiql.css")]
    public async Task Static_files_carry_the_content_security_policy_and_security_headers(string path)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(browser.Host.BaseUrl + path);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ClientAppSecurityHeaders.ContentSecurityPolicy, string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("script-src 'self';", ClientAppSecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/graphiql")]
    public async Task Pages_have_no_inline_script_and_load_nothing_from_another_origin(string path)
    {
        using var http = new HttpClient();
        var html = await http.GetStringAsync(browser.Host.BaseUrl + path);
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
