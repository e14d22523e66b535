using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// Incident severity (README "Lifecycle and severity"): computed from NCISS factors, rolled up to the campaign's cluster
/// per reader, overridden by the reporter's analysts with a reason (audited), pushed as SEVERITY_CHANGE — and a hostile
/// second organisation's hidden incident never raises, reveals or announces anything to a reader who may not see it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IncidentSeverityTests(ApiFactory api)
{
    static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    static JsonObject Incident(string name, string tlp, JsonObject? factors = null, string modified = "2024-01-01T00:00:00.000Z")
    {
        var o = StixBuilder.Sdo("incident", name: name, modified: modified);
        o["object_marking_refs"] = new JsonArray(tlp);
        if (factors is not null)
        {
            o["x_threatgraph_severity"] = factors;
        }
        return o;
    }

    static JsonObject Green(JsonObject o)
    {
        o["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        return o;
    }

    static JsonObject Emergency() => new()
    {
        ["functional_impact"] = "denial-of-critical-services", ["information_impact"] = "destruction-of-critical-system",
        ["recoverability"] = "not-recoverable", ["observed_activity"] = "effect", ["location_of_observed_activity"] = "safety-systems",
        ["actor_characterization"] = "nation-state", ["cross_sector_dependency"] = "high", ["potential_impact"] = "severe",
    };

    async Task PostOkAsync(string apiKey, params JsonObject[] objects)
    {
        var (status, body) = await api.PostBundleAsync(ApiFactory.Bundle(objects), apiKey: apiKey);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.True(body["totals"]!["rejected"]!.GetValue<int>() == 0, body.ToJsonString());
    }

    const string SeverityQuery = "query($id: ID!) { object(id: $id) { ... on Incident { severity { level name score computedLevel factors { factor value } override { level reason organisation member } } } } }";

    [Fact]
    public async Task The_shared_incident_core_example_is_scored_from_its_extension()
    {
        var (status, body) = await api.PostBundleAsync(SharedData.Bytes("incidents/incident_ransom.json"), apiKey: K.JpAnalyst);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Equal(0, body["totals"]!["rejected"]!.GetValue<int>());

        var severity = (await api.DataAsync(SeverityQuery, new { id = "incident--b754abee-6de5-4b4e-8125-8dab1ca199fe" }, K.JpAnalyst))["object"]!["severity"]!;
        // determination confirmed → observed activity "effect" (0.15 × 1); criticality 70 → potential impact "high" (0.10 × 0.75).
        Assert.Equal(22.5, severity["score"]!.GetValue<double>());
        Assert.Equal("LOW", severity["name"]!.GetValue<string>());
        var factors = severity["factors"]!.AsArray().ToDictionary(f => f!["factor"]!.GetValue<string>(), f => f!["value"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, string> { ["observed_activity"] = "effect", ["potential_impact"] = "high" }, factors);
        Assert.Null(severity["override"]);

        // Attributed to a campaign: the campaign's severity rolls up from it, and its subscriber is told.
        var campaign = Green(StixBuilder.Sdo("campaign", name: "ransom campaign " + Guid.NewGuid().ToString("N")[..6]));
        await PostOkAsync(K.JpAnalyst, campaign);
        await using var socket = await HostSockets.ConnectAckedAsync(api, K.UsAnalyst);
        await socket.SubscribeAsync("x", $$"""subscription { campaignUpdated(campaignId: "{{Id(campaign)}}") { kinds severity } }""");
        await socket.NextAsync("x", "campaignUpdated", d => Kinds(d).Contains("SUBSCRIBED"));
        await PostOkAsync(K.JpAnalyst, Green(StixBuilder.Relationship("incident--b754abee-6de5-4b4e-8125-8dab1ca199fe", "attributed-to", Id(campaign))));
        var pushed = await socket.NextAsync("x", "campaignUpdated", d => Kinds(d).Contains("SEVERITY_CHANGE"));
        Assert.Equal("LOW", pushed.GetProperty("severity").GetString());
        Assert.Equal("LOW", await CampaignSeverityAsync(campaign, K.UsAnalyst));
    }

    [Fact]
    public async Task Severity_rolls_up_to_the_campaign_and_a_new_version_is_pushed_as_severity_change()
    {
        var campaign = Green(StixBuilder.Sdo("campaign", name: "severity rollup " + Guid.NewGuid().ToString("N")[..6]));
        await PostOkAsync(K.UsAnalyst, campaign);
        await using var socket = await HostSockets.ConnectAckedAsync(api, K.UsAnalyst);
        await socket.SubscribeAsync("s", $$"""subscription { campaignUpdated(campaignId: "{{Id(campaign)}}") { kinds severity newMemberIds } }""");
        await socket.NextAsync("s", "campaignUpdated", d => Kinds(d).Contains("SUBSCRIBED"));

        var incident = Incident("grid outage", Tlp.GreenId, new JsonObject { ["functional_impact"] = "significant-impact-to-critical-services", ["observed_activity"] = "presence" });
        await PostOkAsync(K.UsAnalyst, incident, Green(StixBuilder.Relationship(Id(incident), "related-to", Id(campaign))));
        // 100 × (0.20 × 0.85 + 0.15 × 0.75) = 28.25 → LOW.
        var joined = await socket.NextAsync("s", "campaignUpdated", d => Kinds(d).Contains("SEVERITY_CHANGE"));
        Assert.Equal("LOW", joined.GetProperty("severity").GetString());
        Assert.Equal("LOW", await CampaignSeverityAsync(campaign, K.UsAnalyst));

        // A new version with worse factors: the campaign's subscribers are told.
        var worse = Incident("grid outage", Tlp.GreenId, Emergency(), modified: "2024-02-01T00:00:00.000Z");
        worse["id"] = Id(incident);
        await PostOkAsync(K.UsAnalyst, worse);
        var change = await socket.NextAsync("s", "campaignUpdated", d => Kinds(d).Contains("SEVERITY_CHANGE"));
        Assert.Equal("EMERGENCY", change.GetProperty("severity").GetString());
        Assert.Equal("EMERGENCY", await CampaignSeverityAsync(campaign, K.UsAnalyst));
        var cluster = (await api.DataAsync("query($id: ID!) { cluster(id: $id) { severity } }", new { id = Id(campaign) }, K.UsAnalyst))["cluster"]!;
        Assert.Equal("EMERGENCY", cluster["severity"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_hidden_red_incident_of_another_organisation_raises_reveals_and_announces_nothing()
    {
        var campaign = Green(StixBuilder.Sdo("campaign", name: "shared campaign " + Guid.NewGuid().ToString("N")[..6]));
        var usIncident = Incident("us low incident", Tlp.GreenId, new JsonObject { ["observed_activity"] = "effect", ["potential_impact"] = "high" });
        await PostOkAsync(K.UsAnalyst, campaign, usIncident, Green(StixBuilder.Relationship(Id(usIncident), "related-to", Id(campaign))));
        Assert.Equal("LOW", await CampaignSeverityAsync(campaign, K.UsAnalyst));

        await using var socket = await HostSockets.ConnectAckedAsync(api, K.UsAnalyst);
        await socket.SubscribeAsync("h", $$"""subscription { campaignUpdated(campaignId: "{{Id(campaign)}}") { kinds severity newMemberIds clusterSize } }""");
        var subscribed = await socket.NextAsync("h", "campaignUpdated", d => Kinds(d).Contains("SUBSCRIBED"));
        Assert.Equal("LOW", subscribed.GetProperty("severity").GetString());

        // jp-nisc/analyst1 reports a RED incident (for itself alone) of the worst kind against the shared campaign.
        var hostile = Incident("jp red incident", Tlp.RedId, Emergency());
        var link = Green(StixBuilder.Relationship(Id(hostile), "related-to", Id(campaign)));
        await PostOkAsync(K.JpAnalyst, hostile, link);
        Assert.Equal("EMERGENCY", await CampaignSeverityAsync(campaign, K.JpAnalyst));

        // us-cisa: same severity, no trace of the incident in the cluster, its counts, the incident list or the search.
        Assert.Equal("LOW", await CampaignSeverityAsync(campaign, K.UsAnalyst));
        var asUs = await api.DataAsync("""
            query($c: ID!, $i: ID!) {
              cluster(id: $c) { size severity incidents { id } members { totalCount } }
              object(id: $i) { id }
              search(types: ["incident"], text: "jp red incident") { totalCount }
            }
            """, new { c = Id(campaign), i = Id(hostile) }, K.UsAnalyst);
        Assert.Equal("LOW", asUs["cluster"]!["severity"]!.GetValue<string>());
        Assert.Equal(2, asUs["cluster"]!["size"]!.GetValue<int>());
        Assert.Null(asUs["object"]);
        Assert.Equal(0, asUs["search"]!["totalCount"]!.GetValue<int>());
        Assert.DoesNotContain(Id(hostile), asUs.ToJsonString());
        // jp-nisc/analyst2 is not named on the RED incident either: it sees the us-cisa incident's level only.
        Assert.Equal("LOW", await CampaignSeverityAsync(campaign, K.JpAnalyst2));

        // The subscriber's next event is a visible change; nothing before it announced the hidden incident.
        var mine = Incident("us second incident", Tlp.GreenId, new JsonObject { ["functional_impact"] = "denial-of-critical-services", ["observed_activity"] = "effect", ["recoverability"] = "extended" });
        await PostOkAsync(K.UsAnalyst, mine, Green(StixBuilder.Relationship(Id(mine), "related-to", Id(campaign))));
        var seen = new List<string>();
        var visible = await socket.NextAsync("h", "campaignUpdated", d =>
        {
            seen.Add(d.ToString());
            return d.GetProperty("newMemberIds").EnumerateArray().Any(x => x.GetString() == Id(mine));
        });
        Assert.All(seen, e => Assert.DoesNotContain(Id(hostile), e, StringComparison.Ordinal));
        Assert.All(seen, e => Assert.DoesNotContain("EMERGENCY", e, StringComparison.Ordinal));
        Assert.Single(seen); // the hidden incident sent this subscriber nothing at all
        // 100 × (0.20 × 1 + 0.10 × 0.8 + 0.15 × 1) = 43 → MEDIUM.
        Assert.Equal("MEDIUM", visible.GetProperty("severity").GetString());
        Assert.Equal(3, visible.GetProperty("clusterSize").GetInt32());
    }

    [Fact]
    public async Task An_analyst_of_the_reporter_overrides_with_a_reason_others_are_refused_and_it_is_audited()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O");
        var campaign = Green(StixBuilder.Sdo("campaign", name: "override " + Guid.NewGuid().ToString("N")[..6]));
        var incident = Incident("jp incident", Tlp.GreenId, new JsonObject { ["observed_activity"] = "prepare" });
        await PostOkAsync(K.JpAnalyst, campaign, incident, Green(StixBuilder.Relationship(Id(incident), "related-to", Id(campaign))));
        Assert.Equal("BASELINE", await CampaignSeverityAsync(campaign, K.UsAnalyst));

        await using var socket = await HostSockets.ConnectAckedAsync(api, K.UsAnalyst);
        await socket.SubscribeAsync("o", $$"""subscription { campaignUpdated(campaignId: "{{Id(campaign)}}") { kinds severity } }""");
        await socket.NextAsync("o", "campaignUpdated", d => Kinds(d).Contains("SUBSCRIBED"));

        const string Set = "mutation($id: ID!, $level: Int, $reason: String!) { setIncidentSeverity(incidentId: $id, level: $level, reason: $reason) { level name computedLevel override { reason organisation member } } }";
        // Another organisation (which may see it) is refused; so are bad levels and empty reasons. Nothing changes.
        Assert.Equal("FORBIDDEN", Code(await api.GraphQLAsync(Set, new { id = Id(incident), level = 5, reason = "us thinks so" }, apiKey: K.UsAnalyst)));
        Assert.Equal("BAD_ARGUMENT", Code(await api.GraphQLAsync(Set, new { id = Id(incident), level = 6, reason = "too high" }, apiKey: K.JpAnalyst)));
        Assert.Equal("BAD_ARGUMENT", Code(await api.GraphQLAsync(Set, new { id = Id(incident), level = 4, reason = "  " }, apiKey: K.JpAnalyst)));
        Assert.Equal("FORBIDDEN", Code(await api.GraphQLAsync(Set, new { id = Id(incident), level = 4, reason = "auditor" }, apiKey: K.JpAuditor)));
        Assert.Equal("BASELINE", await CampaignSeverityAsync(campaign, K.JpAnalyst));

        var set = (await api.DataAsync(Set, new { id = Id(incident), level = 4, reason = "water utility confirmed the outage" }, K.JpAnalyst2))["setIncidentSeverity"]!;
        Assert.Equal("SEVERE", set["name"]!.GetValue<string>());
        Assert.Equal(0, set["computedLevel"]!.GetValue<int>());
        Assert.Equal("jp-nisc/analyst2", set["override"]!["member"]!.GetValue<string>());

        var change = await socket.NextAsync("o", "campaignUpdated", d => Kinds(d).Contains("SEVERITY_CHANGE"));
        Assert.Equal("SEVERE", change.GetProperty("severity").GetString());
        // us-cisa sees the override and its reason with the incident, but not which jp-nisc member made it.
        var asUs = (await api.DataAsync(SeverityQuery, new { id = Id(incident) }, K.UsAnalyst))["object"]!["severity"]!;
        Assert.Equal(4, asUs["level"]!.GetValue<int>());
        Assert.Equal("water utility confirmed the outage", asUs["override"]!["reason"]!.GetValue<string>());
        Assert.Equal("jp-nisc", asUs["override"]!["organisation"]!.GetValue<string>());
        Assert.Null(asUs["override"]!["member"]);

        var log = (await api.DataAsync("""
            query($from: String!) { auditLog(from: $from, first: 1000) { member operation objects isWrite } }
            """, new { from }, K.JpAuditor))["auditLog"]!.AsArray();
        var record = Assert.Single(log, r => r!["operation"]!.GetValue<string>().StartsWith("severity override", StringComparison.Ordinal)
                                             && r["objects"]!.AsArray().Any(o => o!.GetValue<string>() == Id(incident)))!;
        Assert.Equal("severity override SEVERE: water utility confirmed the outage", record["operation"]!.GetValue<string>());
        Assert.Equal("jp-nisc/analyst2", record["member"]!.GetValue<string>());

        // Cleared: back to the computed level, and subscribers are told.
        var cleared = (await api.DataAsync(Set, new { id = Id(incident), level = (int?)null, reason = "outage was a test" }, K.JpAnalyst))["setIncidentSeverity"]!;
        Assert.Equal("BASELINE", cleared["name"]!.GetValue<string>());
        Assert.Null(cleared["override"]);
        var back = await socket.NextAsync("o", "campaignUpdated", d => Kinds(d).Contains("SEVERITY_CHANGE"));
        Assert.Equal("BASELINE", back.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task A_factor_outside_the_vocabulary_is_rejected_with_its_path_and_changes_nothing()
    {
        var bad = Incident("bad factor", Tlp.GreenId, new JsonObject { ["functional_impact"] = "catastrophic" });
        var unknown = Incident("unknown factor", Tlp.GreenId, new JsonObject { ["mood"] = "bad" });
        var criticality = Incident("bad criticality", Tlp.GreenId);
        criticality["extensions"] = new JsonObject
        {
            ["extension-definition--ef765651-680c-498d-9894-99799f2fa126"] = new JsonObject { ["extension_type"] = "property-extension", ["criticality"] = 150 },
        };
        var soft = Incident("soft recoverability", Tlp.GreenId);
        soft["extensions"] = new JsonObject
        {
            ["extension-definition--ef765651-680c-498d-9894-99799f2fa126"] = new JsonObject { ["extension_type"] = "property-extension", ["recoverability"] = "someday" },
        };
        var (_, body) = await api.PostBundleAsync(ApiFactory.Bundle(bad, unknown, criticality, soft), apiKey: K.JpAnalyst);
        var results = body["objects"]!.AsArray();
        AssertRejected(results[0]!, "$.objects[0].x_threatgraph_severity.functional_impact", "'catastrophic' is not a value of functional_impact");
        AssertRejected(results[1]!, "$.objects[1].x_threatgraph_severity.mood", "'mood' is not a severity factor");
        AssertRejected(results[2]!, "$.objects[2].extensions['extension-definition--ef765651-680c-498d-9894-99799f2fa126'].criticality", "from 0 to 100");
        Assert.Equal("created", results[3]!["outcome"]!.GetValue<string>());
        Assert.Contains(results[3]!["warnings"]!.AsArray(), w => w!["path"]!.GetValue<string>().EndsWith(".recoverability", StringComparison.Ordinal));

        foreach (var rejected in new[] { bad, unknown, criticality })
        {
            Assert.Null((await api.DataAsync("query($id: ID!) { object(id: $id) { id } }", new { id = Id(rejected) }, K.JpAnalyst))["object"]);
        }
        var kept = (await api.DataAsync(SeverityQuery, new { id = Id(soft) }, K.JpAnalyst))["object"]!["severity"]!;
        Assert.Equal("BASELINE", kept["name"]!.GetValue<string>());
        Assert.Empty(kept["factors"]!.AsArray());
    }

    static void AssertRejected(JsonNode result, string path, string message)
    {
        Assert.Equal("rejected", result["outcome"]!.GetValue<string>());
        var error = Assert.Single(result["errors"]!.AsArray())!;
        Assert.Equal(path, error["path"]!.GetValue<string>());
        Assert.Contains(message, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    async Task<string> CampaignSeverityAsync(JsonObject campaign, string apiKey) =>
        (await api.DataAsync("query($id: ID!) { object(id: $id) { ... on Campaign { severity } } }", new { id = Id(campaign) }, apiKey))["object"]!["severity"]!.GetValue<string>();

    static string Code(JsonObject response) => response["errors"]![0]!["extensions"]!["code"]!.GetValue<string>();

    static List<string> Kinds(JsonElement update) => [.. update.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()!)];
}
