using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.TestSupport;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// The correlation scenario through the running host: ATT&amp;CK for ICS (real campaigns and intrusion sets), then a
/// synthetic incident stream in which a JP and a US identity report the same infrastructure against two of its
/// campaigns. The link appears, the subscriber is told; a revocation splits the cluster and the subscriber is told again.
/// </summary>
public sealed class CorrelationScenarioTests(CorrelationScenarioTests.Host host) : IClassFixture<CorrelationScenarioTests.Host>
{
    public sealed class Host : ApiFactory;

    const string SharedDomain = "tele-ops-sync.test";
    const string PublicResolver = "8.8.8.8";

    [Fact]
    public async Task Shared_infrastructure_links_two_ics_campaigns_live_and_a_revocation_splits_them_again()
    {
        var (status, report) = await host.PostBundleAsync(SharedData.Bytes("mitre-attack/ics-attack-18.1.json"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, report["totals"]!["rejected"]!.GetValue<int>());

        // Two real campaigns that ATT&CK alone does not link (techniques and identities never link; see the README).
        var campaigns = (await host.DataAsync("""
            { campaigns(first: 50) { totalCount edges { node { id name ... on Campaign { cluster { id } } } } } }
            """))["campaigns"]!["edges"]!.AsArray().Select(e => e!["node"]!).ToList();
        Assert.Equal(8, campaigns.Count);
        var a = campaigns.First(c => c!["name"]!.GetValue<string>() == "Maroochy Water Breach")!;
        var b = campaigns.First(c => c!["name"]!.GetValue<string>() == "Oldsmar Treatment Plant Intrusion")!;
        Assert.True(a["cluster"] is null || b["cluster"] is null || a["cluster"]!["id"]!.ToString() != b["cluster"]!["id"]!.ToString(),
            "the two campaigns are already linked by ATT&CK alone");
        var (campaignA, campaignB) = (a["id"]!.GetValue<string>(), b["id"]!.GetValue<string>());

        await using var ws = await HostSockets.ConnectAckedAsync(host);
        await ws.SubscribeAsync("a", $$"""
            subscription { campaignUpdated(campaignId: "{{campaignA}}") {
              campaignId kinds clusterId clusterSize linkedCampaignIds newlyLinkedCampaignIds unlinkedCampaignIds newMemberIds severity at } }
            """);
        var subscribed = await ws.NextAsync("a", "campaignUpdated", _ => true);
        Assert.Equal<string>(["SUBSCRIBED"], Kinds(subscribed));

        // JP reports first: its indicators and incident attach to campaign A (new members, no link yet).
        var jp = JapanBundle(campaignA);
        await PostAsync(jp.Bundle);
        var jpUpdate = await ws.NextAsync("a", "campaignUpdated", d => Kinds(d).Contains("NEW_MEMBER") || Kinds(d).Contains("MERGE"));
        Assert.Empty(jpUpdate.GetProperty("linkedCampaignIds").EnumerateArray());

        // US reports the same domain (written differently, once as an SCO with a random id) against campaign B: linked.
        var us = UsBundle(campaignB);
        await PostAsync(us.Bundle);
        var linked = await ws.NextAsync("a", "campaignUpdated", d => Kinds(d).Contains("NEW_LINK"));
        Assert.Contains(campaignB, Ids(linked, "newlyLinkedCampaignIds"));
        Assert.Contains(campaignB, Ids(linked, "linkedCampaignIds"));

        await AssertLinkedAsync(campaignA, campaignB, us);

        // The US retracts its attribution of the shared indicator to B: B falls out of A's cluster.
        await PostAsync(ApiFactory.Bundle(Revoked(us.IndicatesB)));
        var split = await ws.NextAsync("a", "campaignUpdated", d => Kinds(d).Contains("SPLIT"));
        Assert.Contains(campaignB, Ids(split, "unlinkedCampaignIds"));
        Assert.DoesNotContain(campaignB, Ids(split, "linkedCampaignIds"));

        var after = await host.DataAsync($$"""
            { linkedCampaigns(campaignId: "{{campaignA}}") { links { campaignId } }
              b: cluster(id: "{{campaignB}}") { campaigns { id } } }
            """);
        Assert.DoesNotContain(after["linkedCampaigns"]!["links"]!.AsArray(), l => l!["campaignId"]!.GetValue<string>() == campaignB);
        Assert.DoesNotContain(after["b"]!["campaigns"]!.AsArray(), c => c!["id"]!.GetValue<string>() == campaignA);
    }

    async Task AssertLinkedAsync(string campaignA, string campaignB, Reported us)
    {
        var domainId = ObservableNormalizer.CanonicalId("domain-name", "value", SharedDomain)!;
        var resolverId = ObservableNormalizer.CanonicalId("ipv4-addr", "value", PublicResolver)!;
        var data = await host.DataAsync($$"""
            { linkedCampaigns(campaignId: "{{campaignA}}", maxDepth: 8) {
                partial links { campaignId strength hops path { nodes { id } edges { kind sourceId targetId } } } }
              cluster(id: "{{campaignA}}") { id size severity campaigns { id } incidents { id } firstSeen lastSeen members(first: 500) { totalCount } }
              shortestPath(from: "{{campaignA}}", to: "{{campaignB}}", maxDepth: 6, edgeTypes: ["indicates", "pattern-names"]) { found length nodes { id } partial }
              resolver: object(id: "{{resolverId}}") { ... on Observable { excludedFromCorrelation cluster { size } } }
              domain: object(id: "{{domainId}}") { ... on Observable { value excludedFromCorrelation } }
              alias: object(id: "{{us.AliasId}}") { id }
              linked: campaigns(filter: { linkedOnly: true }) { totalCount edges { node { id } } } }
            """);

        var link = Assert.Single(data["linkedCampaigns"]!["links"]!.AsArray(), l => l!["campaignId"]!.GetValue<string>() == campaignB)!;
        var path = link["path"]!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(campaignA, path[0]);
        Assert.Equal(campaignB, path[^1]);
        Assert.Contains(domainId, path);
        // A ←indicates— JP indicator —pattern-names→ domain ←pattern-names— US indicator —indicates→ B: 0.9 × 1 × 1 × 0.9.
        Assert.True(4 == link["hops"]!.GetValue<int>(), link.ToJsonString());
        Assert.Equal(0.81, link["strength"]!.GetValue<double>(), 6);

        var cluster = data["cluster"]!;
        var members = cluster["campaigns"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
        Assert.Contains(campaignA, members);
        Assert.Contains(campaignB, members);
        Assert.Equal("BASELINE", cluster["severity"]!.GetValue<string>()); // two incidents, neither with severity factors
        Assert.Equal(cluster["size"]!.GetValue<int>(), cluster["members"]!["totalCount"]!.GetValue<int>());
        Assert.NotNull(cluster["firstSeen"]);

        Assert.True(data["shortestPath"]!["found"]!.GetValue<bool>());
        Assert.Equal(4, data["shortestPath"]!["length"]!.GetValue<int>());

        Assert.Contains("warninglist builtin-public-dns-resolvers", data["resolver"]!["excludedFromCorrelation"]!.GetValue<string>(), StringComparison.Ordinal);
        var resolverCluster = data["resolver"]!["cluster"];
        Assert.True(resolverCluster is null || resolverCluster["size"]!.GetValue<int>() == 1, "the public resolver joined a cluster");
        Assert.Equal(SharedDomain, data["domain"]!["value"]!.GetValue<string>());
        Assert.Null(data["domain"]!["excludedFromCorrelation"]);
        Assert.Equal(domainId, data["alias"]!["id"]!.GetValue<string>());
        var linkedCampaigns = data["linked"]!["edges"]!.AsArray().Select(e => e!["node"]!["id"]!.GetValue<string>()).ToList();
        Assert.Contains(campaignA, linkedCampaigns);
        Assert.Contains(campaignB, linkedCampaigns);
    }

    async Task PostAsync(string bundle)
    {
        var (status, body) = await host.PostBundleAsync(bundle);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body["totals"]!["rejected"]!.GetValue<int>() == 0, body.ToJsonString());
    }

    static List<string> Kinds(JsonElement update) => [.. update.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()!)];

    static List<string> Ids(JsonElement update, string property) => [.. update.GetProperty(property).EnumerateArray().Select(k => k.GetString()!)];

    sealed record Reported(string Bundle, JsonObject IndicatesB, string AliasId);

    /// <summary>JP NISC (synthetic): a domain and a public resolver indicated against campaign A, an incident, a sighting.</summary>
    static Reported JapanBundle(string campaign)
    {
        var identity = Identity("JP NISC (synthetic)", "JP");
        var by = identity["id"]!.GetValue<string>();
        var domain = Indicator(by, $"[domain-name:value = '{SharedDomain}']");
        var resolver = Indicator(by, $"[ipv4-addr:value = '{PublicResolver}']");
        var incident = Incident(by, "Intrusion at a regional water utility (JP)");
        var resolverSco = new JsonObject
        {
            ["type"] = "ipv4-addr", ["spec_version"] = "2.1", ["value"] = PublicResolver,
            ["id"] = ObservableNormalizer.CanonicalId("ipv4-addr", "value", PublicResolver),
        };
        var objects = new[]
        {
            identity, domain, resolver, incident, resolverSco,
            Rel(by, domain, "indicates", campaign), Rel(by, resolver, "indicates", campaign), Rel(by, incident, "attributed-to", campaign),
            Sighting(by, domain, identity, null),
        };
        return new Reported(ApiFactory.Bundle(objects), objects[5], "");
    }

    /// <summary>US CISA (synthetic): the same domain written differently (also as an SCO with a random id in observed-data),
    /// the same public resolver, an incident, against campaign B.</summary>
    static Reported UsBundle(string campaign)
    {
        var identity = Identity("US CISA (synthetic)", "US");
        var by = identity["id"]!.GetValue<string>();
        var aliasId = $"domain-name--{Guid.NewGuid()}";
        var sco = new JsonObject { ["type"] = "domain-name", ["spec_version"] = "2.1", ["id"] = aliasId, ["value"] = SharedDomain.ToUpperInvariant() + "." };
        var observed = Common("observed-data", by);
        observed["first_observed"] = "2024-05-02T00:00:00.000Z";
        observed["last_observed"] = "2024-05-03T00:00:00.000Z";
        observed["number_observed"] = 3;
        observed["object_refs"] = new JsonArray(aliasId);
        var domain = Indicator(by, "[domain-name:value = 'Tele-Ops-Sync.TEST']");
        var resolver = Indicator(by, $"[ipv4-addr:value = '{PublicResolver}']");
        var incident = Incident(by, "Phishing-led intrusion at a water treatment plant (US)");
        var indicatesB = Rel(by, domain, "indicates", campaign);
        var objects = new[]
        {
            identity, sco, observed, domain, resolver, incident, indicatesB,
            Rel(by, resolver, "indicates", campaign), Rel(by, incident, "attributed-to", campaign), Sighting(by, domain, identity, observed),
        };
        return new Reported(ApiFactory.Bundle(objects), indicatesB, aliasId);
    }

    static JsonObject Common(string type, string? createdBy)
    {
        var o = StixBuilder.Sdo(type, modified: "2024-05-01T00:00:00.000Z");
        o["created"] = "2024-05-01T00:00:00.000Z";
        if (createdBy is not null)
        {
            o["created_by_ref"] = createdBy;
        }
        return o;
    }

    static JsonObject Identity(string name, string country)
    {
        var o = Common("identity", null);
        o["name"] = name;
        o["identity_class"] = "organization";
        o["x_country"] = country;
        return o;
    }

    static JsonObject Indicator(string by, string pattern)
    {
        var o = Common("indicator", by);
        o["pattern"] = pattern;
        o["pattern_type"] = "stix";
        o["valid_from"] = "2024-05-01T00:00:00.000Z";
        return o;
    }

    static JsonObject Incident(string by, string name)
    {
        var o = Common("incident", by);
        o["name"] = name;
        return o;
    }

    static JsonObject Rel(string by, JsonObject source, string kind, string target)
    {
        var o = StixBuilder.Relationship(source["id"]!.GetValue<string>(), kind, target, modified: "2024-05-01T00:00:00.000Z");
        o["created"] = "2024-05-01T00:00:00.000Z";
        o["created_by_ref"] = by;
        return o;
    }

    static JsonObject Sighting(string by, JsonObject indicator, JsonObject identity, JsonObject? observed)
    {
        var o = Common("sighting", by);
        o["sighting_of_ref"] = indicator["id"]!.GetValue<string>();
        o["where_sighted_refs"] = new JsonArray(identity["id"]!.GetValue<string>());
        if (observed is not null)
        {
            o["observed_data_refs"] = new JsonArray(observed["id"]!.GetValue<string>());
        }
        return o;
    }

    static JsonObject Revoked(JsonObject relationship)
    {
        var o = (JsonObject)relationship.DeepClone();
        o["modified"] = "2024-06-01T00:00:00.000Z";
        o["revoked"] = true;
        return o;
    }
}
