using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using ThreatGraph.Contracts.Taxii;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>A deployment with <c>Community:AllowAnonymous=true</c>: a caller without credentials is admitted as a
/// TLP:CLEAR reader and may not write; wrong credentials are still refused.</summary>
public sealed class AnonymousAccessTests(AnonymousAccessTests.Host host) : IClassFixture<AnonymousAccessTests.Host>
{
    public sealed class Host : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Community:AllowAnonymous", "true");
        }
    }

    [Fact]
    public async Task An_anonymous_caller_reads_clear_only_on_every_surface()
    {
        var clear = StixBuilder.Sdo("campaign", name: "clear for anyone");
        clear["object_marking_refs"] = new JsonArray(Tlp.ClearId);
        var green = StixBuilder.Sdo("campaign", name: "green for the community only");
        green["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        await host.PostAcceptedAsync(K.JpAnalyst, clear, green);
        string Id(JsonObject o) => o["id"]!.GetValue<string>();

        using var anonymous = host.ClientFor(null);
        using (var readClear = await anonymous.GetAsync($"/api/objects/{Id(clear)}"))
        using (var readGreen = await anonymous.GetAsync($"/api/objects/{Id(green)}"))
        {
            Assert.Equal(HttpStatusCode.OK, readClear.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, readGreen.StatusCode);
        }
        using var taxii = await anonymous.GetAsync($"/taxii2/threatgraph/collections/{TaxiiCollections.DefaultId}/objects/{Id(green)}/");
        Assert.Equal(HttpStatusCode.NotFound, taxii.StatusCode);
        using var graphql = await anonymous.PostAsync("/graphql", new StringContent(
            new JsonObject { ["query"] = $"{{ c: object(id: \"{Id(clear)}\") {{ id }} g: object(id: \"{Id(green)}\") {{ id }} }}" }.ToJsonString(),
            Encoding.UTF8, "application/json"));
        var data = JsonNode.Parse(await graphql.Content.ReadAsStringAsync())!["data"]!;
        Assert.Equal(Id(clear), data["c"]!["id"]!.GetValue<string>());
        Assert.Null(data["g"]);
    }

    [Fact]
    public async Task An_anonymous_caller_may_not_write_and_wrong_credentials_are_still_401()
    {
        using var anonymous = host.ClientFor(null);
        using var post = await anonymous.PostAsync("/api/bundles",
            new StringContent(ApiFactory.Bundle(StixBuilder.Sdo("campaign", name: "anonymous write")), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal("FORBIDDEN", JsonNode.Parse(await post.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());

        using var wrong = host.ClientFor("not-a-key");
        using var refused = await wrong.GetAsync($"/api/objects/{StixBuilder.NewId("campaign")}");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("unknown or revoked API key", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
