using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// jp GREEN campaign — jp RED intrusion set — us GREEN campaign. The RED bridge links the two campaigns in the system's
/// correlation graph; us-cisa may see both campaigns but not the bridge, so for us-cisa they are not linked: not in
/// linkedCampaigns, cluster, shortestPath, campaigns(linkedOnly), nor in its subscription events.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CorrelationAccessTests(ApiFactory api)
{
    static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    [Fact]
    public async Task An_invisible_bridge_links_nothing_for_those_who_may_not_see_it()
    {
        var jpCampaign = Marked(StixBuilder.Sdo("campaign", name: "jp bridge side " + Guid.NewGuid().ToString("N")[..6]), Tlp.GreenId);
        var bridge = Marked(StixBuilder.Sdo("intrusion-set", name: "red bridge"), Tlp.RedId);
        var usCampaign = Marked(StixBuilder.Sdo("campaign", name: "us bridge side " + Guid.NewGuid().ToString("N")[..6]), Tlp.GreenId);

        await using var usSocket = await HostSockets.ConnectAckedAsync(api, K.UsAnalyst);
        await api.PostBundleAsync(ApiFactory.Bundle(usCampaign), apiKey: K.UsAnalyst);
        await usSocket.SubscribeAsync("u", $$"""subscription { campaignUpdated(campaignId: "{{Id(usCampaign)}}") { kinds linkedCampaignIds newMemberIds clusterSize } }""");
        await usSocket.NextAsync("u", "campaignUpdated", d => d.GetProperty("kinds").EnumerateArray().Any(k => k.GetString() == "SUBSCRIBED"));

        var a = Marked(StixBuilder.Relationship(Id(jpCampaign), "attributed-to", Id(bridge)), Tlp.GreenId);
        var b = Marked(StixBuilder.Relationship(Id(usCampaign), "attributed-to", Id(bridge)), Tlp.GreenId);
        await api.PostBundleAsync(ApiFactory.Bundle(jpCampaign, bridge, a, b), apiKey: K.JpAnalyst);

        // The owner of the bridge sees the link …
        var asJp = (await api.DataAsync(LinkedQuery, new { id = Id(jpCampaign) }, K.JpAnalyst))["linkedCampaigns"]!["links"]!.AsArray();
        Assert.Contains(asJp, l => l!["campaign"]!["id"]!.GetValue<string>() == Id(usCampaign));

        // … us-cisa does not, on any correlation read path.
        var asUs = await api.DataAsync($$"""
            query($jp: ID!, $us: ID!) {
              linkedCampaigns(campaignId: $jp) { links { campaign { id } } }
              cluster(id: $us) { size campaigns { id } members { totalCount } }
              shortestPath(from: $us, to: $jp) { found }
              campaigns(filter: { linkedOnly: true, text: "bridge side" }) { totalCount }
            }
            """, new { jp = Id(jpCampaign), us = Id(usCampaign) }, K.UsAnalyst);
        Assert.Empty(asUs["linkedCampaigns"]!["links"]!.AsArray());
        Assert.DoesNotContain(Id(jpCampaign), asUs.ToJsonString());
        Assert.DoesNotContain(Id(bridge), asUs.ToJsonString());
        Assert.False(asUs["shortestPath"]!["found"]!.GetValue<bool>());
        Assert.Equal(0, asUs["campaigns"]!["totalCount"]!.GetValue<int>());

        // The subscription hears of a visible change (a US incident), and nothing of the bridge.
        var incident = Marked(StixBuilder.Sdo("incident", name: "us incident"), Tlp.GreenId);
        await api.PostBundleAsync(ApiFactory.Bundle(incident, Marked(StixBuilder.Relationship(Id(incident), "related-to", Id(usCampaign)), Tlp.GreenId)), apiKey: K.UsAnalyst);
        var update = await usSocket.NextAsync("u", "campaignUpdated", d => d.GetProperty("newMemberIds").EnumerateArray().Any(x => x.GetString() == Id(incident)));
        Assert.Empty(update.GetProperty("linkedCampaignIds").EnumerateArray());
        Assert.DoesNotContain(Id(jpCampaign), update.ToString());
        Assert.DoesNotContain(Id(bridge), update.ToString());
    }

    const string LinkedQuery = "query($id: ID!) { linkedCampaigns(campaignId: $id) { links { campaign { id } } } }";

    static JsonObject Marked(JsonObject o, string tlp)
    {
        o["object_marking_refs"] = new JsonArray(tlp);
        return o;
    }
}
