using System.Net;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// Issue 11 row 12 (a visible relationship named its hidden endpoint) and issue 13 (visibility kept on the edges):
/// a relationship or sighting is shown only to readers who may see what it names, and when an object's markings change,
/// every edge and relationship that keeps who may see it follows — traversals included.
/// </summary>
public sealed class EndpointVisibilityTests(EndpointVisibilityTests.Host host) : IClassFixture<EndpointVisibilityTests.Host>
{
    public sealed class Host : ApiFactory;

    const string Collection = "/taxii2/threatgraph/collections/9f5c1c43-5d3e-4b8e-9a4f-7b1d2c0e6a51";

    static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    [Fact]
    public async Task A_relationship_to_a_hidden_object_is_hidden_and_follows_the_objects_markings()
    {
        var campaign = Marked(StixBuilder.Sdo("campaign", name: "visible side"), Tlp.GreenId);
        var actor = Marked(StixBuilder.Sdo("intrusion-set", name: "red actor"), Tlp.RedId);
        var link = Marked(StixBuilder.Relationship(Id(campaign), "attributed-to", Id(actor)), Tlp.GreenId);
        await host.PostAcceptedAsync(K.JpAnalyst, campaign, actor, link);

        await AssertRelationshipVisibleAsync(Id(link), Id(campaign), Id(actor), K.UsAnalyst, false);
        await AssertRelationshipVisibleAsync(Id(link), Id(campaign), Id(actor), K.JpAnalyst, true);

        // jp-nisc downgrades the actor to GREEN: the relationship and the path appear for us-cisa …
        var green = Marked(StixBuilder.Sdo("intrusion-set", Id(actor), "2024-02-01T00:00:00.000Z", name: "now green"), Tlp.GreenId);
        await host.PostAcceptedAsync(K.JpAnalyst, green);
        await AssertRelationshipVisibleAsync(Id(link), Id(campaign), Id(actor), K.UsAnalyst, true);

        // … and vanish again, traversals included, when it goes back to RED.
        var red = Marked(StixBuilder.Sdo("intrusion-set", Id(actor), "2024-03-01T00:00:00.000Z", name: "red again"), Tlp.RedId);
        await host.PostAcceptedAsync(K.JpAnalyst, red);
        await AssertRelationshipVisibleAsync(Id(link), Id(campaign), Id(actor), K.UsAnalyst, false);
        await AssertRelationshipVisibleAsync(Id(link), Id(campaign), Id(actor), K.JpAnalyst, true);
    }

    [Fact]
    public async Task A_relationship_sent_before_its_endpoint_is_hidden_once_the_endpoint_arrives_red()
    {
        var campaign = Marked(StixBuilder.Sdo("campaign", name: "early link"), Tlp.GreenId);
        var actorId = StixBuilder.NewId("intrusion-set");
        var link = Marked(StixBuilder.Relationship(Id(campaign), "attributed-to", actorId), Tlp.GreenId);
        await host.PostAcceptedAsync(K.JpAnalyst, campaign, link);
        // Before the actor arrives it is a placeholder: the relationship names an id, nothing more.
        var before = await host.DataAsync("query($id: ID!) { object(id: $id) { id } }", new { id = Id(link) }, K.UsAnalyst);
        Assert.NotNull(before["object"]);

        await host.PostAcceptedAsync(K.JpAnalyst, Marked(StixBuilder.Sdo("intrusion-set", actorId, name: "late red actor"), Tlp.RedId));
        await AssertRelationshipVisibleAsync(Id(link), Id(campaign), actorId, K.UsAnalyst, false);
    }

    [Fact]
    public async Task A_sighting_of_a_hidden_indicator_is_hidden()
    {
        var indicator = Marked(StixBuilder.Sdo("indicator", name: "red indicator"), Tlp.RedId);
        indicator["pattern"] = "[file:name = 'evil.exe']";
        indicator["pattern_type"] = "stix";
        indicator["valid_from"] = "2024-01-01T00:00:00Z";
        var sighting = Marked(StixBuilder.Sdo("sighting"), Tlp.GreenId);
        sighting["sighting_of_ref"] = Id(indicator);
        await host.PostAcceptedAsync(K.JpAnalyst, indicator, sighting);

        var us = await host.DataAsync("query($id: ID!, $t: String) { object(id: $id) { id } search(types: [\"sighting\"], text: $t) { totalCount } }",
            new { id = Id(sighting), t = Id(sighting) }, K.UsAnalyst);
        Assert.Null(us["object"]);
        Assert.Equal(0, us["search"]!["totalCount"]!.GetValue<int>());
        Assert.DoesNotContain(Id(indicator), await TaxiiAsync($"{Collection}/objects/?match[type]=sighting&limit=1000", K.UsAnalyst));
    }

    async Task AssertRelationshipVisibleAsync(string linkId, string campaignId, string actorId, string reader, bool visible)
    {
        var data = await host.DataAsync("""
            query($link: ID!, $campaign: ID!, $text: String) {
              link: object(id: $link) { id }
              search(types: ["relationship"], text: $text) { totalCount }
              campaign: object(id: $campaign) { relationships { totalCount } }
              neighborhood(id: $campaign, depth: 1) { nodes { id } }
              shortestPath(from: $campaign, to: $link) { found }
            }
            """, new { link = linkId, campaign = campaignId, text = linkId }, reader);
        var who = $"{reader} expected the relationship {(visible ? "visible" : "hidden")}";
        Assert.True(visible == data["link"] is not null, who + " (object)");
        Assert.True(visible == (data["search"]!["totalCount"]!.GetValue<int>() == 1), who + " (search count)");
        Assert.True(visible == (data["campaign"]!["relationships"]!["totalCount"]!.GetValue<int>() == 1), who + " (edges)");
        Assert.True(visible == data["neighborhood"]!["nodes"]!.AsArray().Any(n => n!["id"]!.GetValue<string>() == actorId), who + " (neighborhood)");
        using var client = host.ClientFor(reader);
        using var rest = await client.GetAsync($"/api/objects/{linkId}");
        Assert.True(visible == (rest.StatusCode == HttpStatusCode.OK), who + " (REST)");
        var taxii = await TaxiiAsync($"{Collection}/objects/?match[id]={linkId}", reader);
        Assert.True(visible == taxii.Contains(actorId, StringComparison.Ordinal), who + " (TAXII)");
        if (!visible)
        {
            Assert.DoesNotContain(actorId, data.ToJsonString());
        }
    }

    async Task<string> TaxiiAsync(string path, string key)
    {
        using var client = host.ClientFor(key);
        client.DefaultRequestHeaders.Accept.ParseAdd("application/taxii+json;version=2.1");
        using var response = await client.GetAsync(path);
        return await response.Content.ReadAsStringAsync();
    }

    static JsonObject Marked(JsonObject o, string tlp)
    {
        o["object_marking_refs"] = new JsonArray(tlp);
        return o;
    }
}
