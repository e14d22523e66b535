using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using ThreatGraph.TestSupport;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>A host of its own with a 2 KiB bundle limit, to test 413 without sending megabytes.</summary>
public sealed class BundleSizeLimitTests : IClassFixture<BundleSizeLimitTests.Host>
{
    readonly Host _host;

    public BundleSizeLimitTests(Host host) => _host = host;

    public sealed class Host : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Api:MaxBundleBytes", "2048");
        }
    }

    [Fact]
    public async Task Oversize_bundle_is_413_and_nothing_is_stored()
    {
        var campaign = StixBuilder.Sdo("campaign", name: "Too big");
        campaign["description"] = new string('x', 4096);
        var (status, body) = await _host.PostBundleAsync(ApiFactory.Bundle(campaign));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("2048", body["error"]!["message"]!.GetValue<string>());

        using var client = _host.CreateClient();
        using var read = await client.GetAsync($"/api/objects/{campaign["id"]}");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task Bundle_under_the_limit_is_accepted()
    {
        var (status, body) = await _host.PostBundleAsync(Encoding.UTF8.GetBytes(ApiFactory.Bundle(StixBuilder.Sdo("campaign", name: "Small"))));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body["totals"]!["created"]!.GetValue<int>());
    }
}
