using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// Issue 11, row 4 and row 12 (degree): correlation never routes through a link the reader may not see, and no answer —
/// cluster ids, errors, counts — tells a reader that a hidden link exists.
/// </summary>
public sealed class HiddenLinkTests(HiddenLinkTests.Host host) : IClassFixture<HiddenLinkTests.Host>
{
    public sealed class Host : ApiFactory;

    static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    [Fact]
    public async Task A_red_ref_in_another_organisations_report_of_a_shared_observable_links_nothing_for_others()
    {
        // us-cisa: campaign A → domain (via an indicator pattern), campaign B → IP.
        var domain = $"shared-{Guid.NewGuid():N}.threatgraph-test.net"; // not a RFC 6761 name: those never link
        var ip = $"45.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        var campaignA = Green(StixBuilder.Sdo("campaign", name: "A " + domain));
        var campaignB = Green(StixBuilder.Sdo("campaign", name: "B " + domain));
        var indicatorA = Indicator($"[domain-name:value = '{domain}']");
        var indicatorB = Indicator($"[ipv4-addr:value = '{ip}']");
        await host.PostBundleAsync(ApiFactory.Bundle(campaignA, campaignB, indicatorA, indicatorB,
            Green(StixBuilder.Relationship(Id(indicatorA), "indicates", Id(campaignA))),
            Green(StixBuilder.Relationship(Id(indicatorB), "indicates", Id(campaignB)))), apiKey: K.UsAnalyst);

        // jp-nisc: a RED report of the domain resolving to the IP.
        var ipId = ScoId.Compute(new JsonObject { ["type"] = "ipv4-addr", ["value"] = ip })!;
        var redDomain = new JsonObject
        {
            ["type"] = "domain-name", ["spec_version"] = "2.1", ["id"] = ScoId.Compute(new JsonObject { ["type"] = "domain-name", ["value"] = domain }),
            ["value"] = domain, ["resolves_to_refs"] = new JsonArray(ipId), ["object_marking_refs"] = new JsonArray(Tlp.RedId),
        };
        await host.PostBundleAsync(ApiFactory.Bundle(redDomain), apiKey: K.JpAnalyst);

        const string query = """
            query($a: ID!, $b: ID!) {
              linkedCampaigns(campaignId: $a) { clusterId links { campaign { id } path { edges { id } } } }
              shortestPath(from: $a, to: $b, maxDepth: 8) { found }
              a: cluster(id: $a) { id size }
              b: cluster(id: $b) { id size }
            }
            """;
        // The reporter of the RED link sees the two campaigns linked …
        var jp = await host.DataAsync(query, new { a = Id(campaignA), b = Id(campaignB) }, K.JpAnalyst);
        Assert.Contains(jp["linkedCampaigns"]!["links"]!.AsArray(), l => l!["campaign"]!["id"]!.GetValue<string>() == Id(campaignB));
        Assert.Equal(jp["a"]!["id"]!.GetValue<string>(), jp["b"]!["id"]!.GetValue<string>());

        // … nobody else does, on any path, and the cluster ids do not tell.
        foreach (var reader in new[] { K.UsAnalyst, K.IsacAnalyst, K.JpAnalyst2 })
        {
            var other = await host.DataAsync(query, new { a = Id(campaignA), b = Id(campaignB) }, reader);
            Assert.Empty(other["linkedCampaigns"]!["links"]!.AsArray());
            Assert.False(other["shortestPath"]!["found"]!.GetValue<bool>());
            Assert.NotEqual(other["a"]!["id"]!.GetValue<string>(), other["b"]!["id"]!.GetValue<string>());
            Assert.DoesNotContain("resolves_to_refs", other.ToJsonString());
        }
    }

    [Fact]
    public async Task A_campaign_linked_only_through_a_hidden_indicator_answers_like_an_unlinked_one()
    {
        var ip = $"45.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        var tag = Guid.NewGuid().ToString("N")[..8];
        // jp: GREEN campaign ← RED indicator naming the IP. us: GREEN campaign ← GREEN indicator naming the same IP.
        var jpCampaign = Green(StixBuilder.Sdo("campaign", name: "jp hidden-link " + tag));
        var jpIndicator = Indicator($"[ipv4-addr:value = '{ip}']");
        jpIndicator["object_marking_refs"] = new JsonArray(Tlp.RedId);
        var jpLink = StixBuilder.Relationship(Id(jpIndicator), "indicates", Id(jpCampaign));
        jpLink["object_marking_refs"] = new JsonArray(Tlp.RedId);
        await host.PostBundleAsync(ApiFactory.Bundle(jpCampaign, jpIndicator, jpLink), apiKey: K.JpAnalyst);
        var usCampaign = Green(StixBuilder.Sdo("campaign", name: "us hidden-link " + tag));
        var usIndicator = Indicator($"[ipv4-addr:value = '{ip}']");
        await host.PostBundleAsync(ApiFactory.Bundle(usCampaign, usIndicator, Green(StixBuilder.Relationship(Id(usIndicator), "indicates", Id(usCampaign)))), apiKey: K.UsAnalyst);
        // A campaign with no link at all, for comparison.
        var lonely = Green(StixBuilder.Sdo("campaign", name: "lonely " + tag));
        await host.PostBundleAsync(ApiFactory.Bundle(lonely), apiKey: K.JpAnalyst);

        const string query = """
            query($id: ID!) {
              linkedCampaigns(campaignId: $id) { clusterId partial links { campaign { id } } }
              cluster(id: $id) { id }
            }
            """;
        var us = await host.GraphQLAsync(query, new { id = Id(jpCampaign) }, apiKey: K.UsAnalyst);
        var unlinked = await host.GraphQLAsync(query, new { id = Id(lonely) }, apiKey: K.UsAnalyst);
        Assert.Null(us["errors"]);
        Assert.Equal(unlinked["data"]!.ToJsonString().Replace(Id(lonely), "X"), us["data"]!.ToJsonString().Replace(Id(jpCampaign), "X"));

        // us-cisa's own campaign's cluster lists only what it sees, and a filter on its id finds only its campaign.
        var usCluster = await host.DataAsync("query($id: ID!) { cluster(id: $id) { id campaigns { id } } }", new { id = Id(usCampaign) }, K.UsAnalyst);
        Assert.Equal([Id(usCampaign)], usCluster["cluster"]!["campaigns"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
        var filtered = await host.DataAsync("query($c: String, $t: String) { campaigns(filter: { clusterId: $c, text: $t }) { totalCount edges { node { id } } } }",
            new { c = usCluster["cluster"]!["id"]!.GetValue<string>(), t = tag }, K.UsAnalyst);
        Assert.Equal([Id(usCampaign)], filtered["campaigns"]!["edges"]!.AsArray().Select(e => e!["node"]!["id"]!.GetValue<string>()));

        // jp-nisc/analyst1, who reported the RED indicator, sees both campaigns in one cluster.
        var jp = await host.DataAsync("query($id: ID!) { cluster(id: $id) { campaigns { id } } }", new { id = Id(jpCampaign) }, K.JpAnalyst);
        Assert.Equal(2, jp["cluster"]!["campaigns"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_degree_exclusion_does_not_count_hidden_links()
    {
        var ip = $"45.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        // 201 RED indicators of jp-nisc name the IP: over the cap of 200 linking edges.
        var objects = Enumerable.Range(0, 201).Select(_ =>
        {
            var i = Indicator($"[ipv4-addr:value = '{ip}']");
            i["object_marking_refs"] = new JsonArray(Tlp.RedId);
            return i;
        }).ToArray();
        await host.PostBundleAsync(ApiFactory.Bundle(objects), apiKey: K.JpAnalyst);
        await host.PostBundleAsync(ApiFactory.Bundle(Indicator($"[ipv4-addr:value = '{ip}']")), apiKey: K.UsAnalyst);

        var ipId = ScoId.Compute(new JsonObject { ["type"] = "ipv4-addr", ["value"] = ip })!;
        var us = await host.DataAsync("query($id: ID!) { object(id: $id) { ... on Placeholder { excludedFromCorrelation } relationships { totalCount } } }", new { id = ipId }, K.UsAnalyst);
        Assert.Equal(1, us["object"]!["relationships"]!["totalCount"]!.GetValue<int>());
        var reason = us["object"]!["excludedFromCorrelation"]!.GetValue<string>();
        Assert.DoesNotContain("201", reason);
        Assert.Contains("more linking edges than the cap of 200", reason);
    }

    static JsonObject Green(JsonObject o)
    {
        o["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        return o;
    }

    static JsonObject Indicator(string pattern)
    {
        var o = Green(StixBuilder.Sdo("indicator", name: pattern));
        o["pattern"] = pattern;
        o["pattern_type"] = "stix";
        o["valid_from"] = "2024-01-01T00:00:00Z";
        return o;
    }
}
