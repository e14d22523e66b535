using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// Revocation and retraction unlink what they linked, with SPLIT to subscribers: a revoked bridge object (not only a
/// revoked relationship), and a new version of an indicator that no longer names the shared observable. A hidden bridge
/// of another organisation that is revoked announces nothing to a subscriber who never saw it link.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RevocationSplitTests(ApiFactory api)
{
    static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    static JsonObject Marked(JsonObject o, string tlp)
    {
        o["object_marking_refs"] = new JsonArray(tlp);
        return o;
    }

    static JsonObject Revoked(JsonObject o)
    {
        var r = (JsonObject)o.DeepClone();
        r["modified"] = "2024-06-01T00:00:00.000Z";
        r["revoked"] = true;
        return r;
    }

    [Fact]
    public async Task A_revoked_bridge_object_splits_the_cluster_and_subscribers_hear_it()
    {
        var a = Marked(StixBuilder.Sdo("campaign", name: "revoked bridge A"), Tlp.GreenId);
        var b = Marked(StixBuilder.Sdo("campaign", name: "revoked bridge B"), Tlp.GreenId);
        var bridge = Marked(StixBuilder.Sdo("intrusion-set", name: "bridge set"), Tlp.GreenId);
        await api.PostAcceptedAsync(K.UsAnalyst, a, b, bridge,
            Marked(StixBuilder.Relationship(Id(a), "attributed-to", Id(bridge)), Tlp.GreenId),
            Marked(StixBuilder.Relationship(Id(b), "attributed-to", Id(bridge)), Tlp.GreenId));

        await using var socket = await HostSockets.ConnectAckedAsync(api, K.IsacAnalyst);
        await socket.SubscribeAsync("r", $$"""subscription { campaignUpdated(campaignId: "{{Id(a)}}") { kinds linkedCampaignIds unlinkedCampaignIds } }""");
        var subscribed = await socket.NextAsync("r", "campaignUpdated", d => Kinds(d).Contains("SUBSCRIBED"));
        Assert.Contains(Id(b), Ids(subscribed, "linkedCampaignIds"));

        await api.PostAcceptedAsync(K.UsAnalyst, Revoked(bridge));
        var split = await socket.NextAsync("r", "campaignUpdated", d => Kinds(d).Contains("SPLIT"));
        Assert.Contains(Id(b), Ids(split, "unlinkedCampaignIds"));
        Assert.Empty(Ids(split, "linkedCampaignIds"));
        var links = await api.DataAsync("query($id: ID!) { linkedCampaigns(campaignId: $id) { links { campaignId } } }", new { id = Id(a) }, K.UsAnalyst);
        Assert.Empty(links["linkedCampaigns"]!["links"]!.AsArray());
    }

    [Fact]
    public async Task A_new_version_that_drops_the_shared_observable_retracts_the_link()
    {
        var domain = $"retract-{Guid.NewGuid():N}.test";
        var a = Marked(StixBuilder.Sdo("campaign", name: "retract A"), Tlp.GreenId);
        var b = Marked(StixBuilder.Sdo("campaign", name: "retract B"), Tlp.GreenId);
        var ia = Indicator($"[domain-name:value = '{domain}']");
        var ib = Indicator($"[domain-name:value = '{domain}']");
        await api.PostAcceptedAsync(K.JpAnalyst, a, b, ia, ib,
            Marked(StixBuilder.Relationship(Id(ia), "indicates", Id(a)), Tlp.GreenId),
            Marked(StixBuilder.Relationship(Id(ib), "indicates", Id(b)), Tlp.GreenId));

        await using var socket = await HostSockets.ConnectAckedAsync(api, K.JpAnalyst2);
        await socket.SubscribeAsync("t", $$"""subscription { campaignUpdated(campaignId: "{{Id(b)}}") { kinds linkedCampaignIds unlinkedCampaignIds } }""");
        var subscribed = await socket.NextAsync("t", "campaignUpdated", d => Kinds(d).Contains("SUBSCRIBED"));
        Assert.Contains(Id(a), Ids(subscribed, "linkedCampaignIds"));

        var retracted = Indicator($"[domain-name:value = 'other-{domain}']");
        retracted["id"] = Id(ib);
        retracted["modified"] = "2024-06-01T00:00:00.000Z";
        await api.PostAcceptedAsync(K.JpAnalyst, retracted);
        var split = await socket.NextAsync("t", "campaignUpdated", d => Kinds(d).Contains("SPLIT"));
        Assert.Contains(Id(a), Ids(split, "unlinkedCampaignIds"));
    }

    [Fact]
    public async Task A_hidden_bridge_revoked_by_another_organisation_announces_nothing()
    {
        var jp = Marked(StixBuilder.Sdo("campaign", name: "hidden revoke jp"), Tlp.GreenId);
        var us = Marked(StixBuilder.Sdo("campaign", name: "hidden revoke us"), Tlp.GreenId);
        await api.PostAcceptedAsync(K.UsAnalyst, us);
        var bridge = Marked(StixBuilder.Sdo("intrusion-set", name: "red bridge to revoke"), Tlp.RedId);
        await api.PostAcceptedAsync(K.JpAnalyst, jp, bridge,
            Marked(StixBuilder.Relationship(Id(jp), "attributed-to", Id(bridge)), Tlp.GreenId),
            Marked(StixBuilder.Relationship(Id(us), "attributed-to", Id(bridge)), Tlp.GreenId));

        await using var socket = await HostSockets.ConnectAckedAsync(api, K.UsAnalyst);
        await socket.SubscribeAsync("h", $$"""subscription { campaignUpdated(campaignId: "{{Id(us)}}") { kinds linkedCampaignIds unlinkedCampaignIds newMemberIds } }""");
        var subscribed = await socket.NextAsync("h", "campaignUpdated", d => Kinds(d).Contains("SUBSCRIBED"));
        Assert.Empty(Ids(subscribed, "linkedCampaignIds"));

        await api.PostAcceptedAsync(K.JpAnalyst, Revoked(bridge));
        Assert.Empty((await api.DataAsync("query($id: ID!) { linkedCampaigns(campaignId: $id) { links { campaignId } } }", new { id = Id(jp) }, K.JpAnalyst))
            ["linkedCampaigns"]!["links"]!.AsArray());

        // The next event us-cisa gets is its own visible change; nothing before it spoke of the split.
        var incident = Marked(StixBuilder.Sdo("incident", name: "us incident after revoke"), Tlp.GreenId);
        await api.PostAcceptedAsync(K.UsAnalyst, incident, Marked(StixBuilder.Relationship(Id(incident), "related-to", Id(us)), Tlp.GreenId));
        var seen = new List<string>();
        await socket.NextAsync("h", "campaignUpdated", d =>
        {
            seen.Add(d.ToString());
            return Ids(d, "newMemberIds").Contains(Id(incident));
        });
        var only = Assert.Single(seen);
        Assert.DoesNotContain("SPLIT", only, StringComparison.Ordinal);
        Assert.DoesNotContain(Id(jp), only, StringComparison.Ordinal);
        Assert.DoesNotContain(Id(bridge), only, StringComparison.Ordinal);
    }

    static JsonObject Indicator(string pattern)
    {
        var o = Marked(StixBuilder.Sdo("indicator", name: "retraction"), Tlp.GreenId);
        o["pattern"] = pattern;
        o["pattern_type"] = "stix";
        o["valid_from"] = "2024-01-01T00:00:00Z";
        return o;
    }

    static List<string> Kinds(JsonElement update) => [.. update.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()!)];

    static List<string> Ids(JsonElement update, string property) => [.. update.GetProperty(property).EnumerateArray().Select(k => k.GetString()!)];
}
