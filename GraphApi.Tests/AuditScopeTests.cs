using System.Net;
using System.Text.Json.Nodes;
using ThreatGraph.Contracts.Audit;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Audit;
using ThreatGraph.GraphApi.Federation;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>README "Audit": an auditor reads its own organisation's records only, and in them only the ids of
/// objects it may see itself.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuditScopeTests(ApiFactory api)
{
    const string Query = "query($from: String!, $org: String) { auditLog(from: $from, org: $org, first: 1000) { org member keyId operation objects outcome } }";

    [Fact]
    public async Task An_auditor_of_jp_nisc_gets_no_record_count_or_id_of_us_cisa()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O");
        var red = Marked(StixBuilder.Sdo("campaign", name: "us red " + Guid.NewGuid().ToString("N")), Tlp.RedId);
        var redId = red["id"]!.GetValue<string>();
        var (status, _) = await api.PostBundleAsync(ApiFactory.Bundle(red), apiKey: K.UsAnalyst);
        Assert.Equal(HttpStatusCode.OK, status);
        await api.DataAsync("query UsReadsRed($id: ID!) { object(id: $id) { id } }", new { id = redId }, K.UsAnalyst);
        await api.DataAsync("query JpReadsCounts { typeCounts { type } }", apiKey: K.JpAnalyst);

        // Asking for another organisation is refused, with the same words whether it has records or does not exist.
        var us = await api.GraphQLAsync(Query, new { from, org = "us-cisa" }, apiKey: K.JpAuditor);
        var nobody = await api.GraphQLAsync(Query, new { from, org = "no-such-org" }, apiKey: K.JpAuditor);
        Assert.Equal("FORBIDDEN", us["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Null(us["data"]);
        Assert.Equal(nobody["errors"]!.ToJsonString(), us["errors"]!.ToJsonString());
        Assert.Equal(nobody.ToJsonString(), us.ToJsonString());
        Assert.DoesNotContain(redId, us.ToJsonString(), StringComparison.Ordinal);

        // Without an organisation, or with its own: jp-nisc's records only.
        foreach (var org in new[] { null, "jp-nisc" })
        {
            var result = await api.GraphQLAsync(Query, new { from, org }, apiKey: K.JpAuditor);
            Assert.True(result["errors"] is null, result.ToJsonString());
            var records = result["data"]!["auditLog"]!.AsArray();
            Assert.Contains(records, r => r!["operation"]!.GetValue<string>() == "graphql query JpReadsCounts");
            Assert.All(records, r => Assert.Equal("jp-nisc", r!["org"]!.GetValue<string>()));
            Assert.DoesNotContain(redId, result.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain("us-cisa/analyst1", result.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Records_of_the_auditors_own_organisation_list_only_objects_the_auditor_may_see()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O");
        var tag = Guid.NewGuid().ToString("N")[..12];
        // RED from us-cisa/analyst1 for jp-nisc/analyst1 personally: jp-nisc's auditor is not named.
        var red = Marked(StixBuilder.Sdo("campaign", name: "red for jp analyst1 " + tag), Tlp.RedId);
        red["x_threatgraph_recipients"] = new JsonArray("jp-nisc/analyst1");
        var green = Marked(StixBuilder.Sdo("campaign", name: "green " + tag), Tlp.GreenId);
        var (status, _) = await api.PostBundleAsync(ApiFactory.Bundle(red, green), apiKey: K.UsAnalyst);
        Assert.Equal(HttpStatusCode.OK, status);
        string redId = red["id"]!.GetValue<string>(), greenId = green["id"]!.GetValue<string>();
        var read = await api.DataAsync($"query JpReads{tag}($a: ID!, $b: ID!) {{ a: object(id: $a) {{ id }} b: object(id: $b) {{ id }} }}",
            new { a = redId, b = greenId }, K.JpAnalyst);
        Assert.Equal(redId, read["a"]!["id"]!.GetValue<string>()); // analyst1 is named: reads it

        var result = await api.GraphQLAsync(Query, new { from, org = (string?)null }, apiKey: K.JpAuditor);
        Assert.True(result["errors"] is null, result.ToJsonString());
        var record = Assert.Single(result["data"]!["auditLog"]!.AsArray(), r => r!["operation"]!.GetValue<string>() == $"graphql query JpReads{tag}")!;
        Assert.Equal("jp-nisc/analyst1", record["member"]!.GetValue<string>());
        Assert.Equal([greenId], record["objects"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.DoesNotContain(redId, result.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_federation_pull_is_the_receiving_organisations_record_and_nobody_elses()
    {
        var peers = new FederationOptions { Peers = [new FederationPeerOptions { Name = "jp", ReceivingOrg = "us-cisa" }] };
        var at = DateTimeOffset.UtcNow;
        AuditRecord[] records =
        [
            new(at, CallerIdentity.SystemOrg, "federation/jp", "federation:jp", "federation pull from jp", true, ["indicator--1"], "applied 1"),
            new(at, CallerIdentity.SystemOrg, "federation/gone", "federation:gone", "federation pull from gone", true, [], "applied 0"),
            new(at, CallerIdentity.SystemOrg, CallerIdentity.SystemOrg, "", "something internal", false, [], "ok"),
            new(at, "us-cisa", "us-cisa/analyst1", "us-analyst", "graphql query Q", false, [], "ok"),
            new(at, "jp-nisc", "jp-nisc/analyst1", "jp-analyst", "graphql query Q", false, [], "ok"),
        ];

        var us = AuditScope.For(new CallerIdentity("us-cisa", "us-cisa/auditor1", "us-auditor", ["auditor"]), peers).Apply(records);
        Assert.Equal(["federation pull from jp", "graphql query Q"], us.Select(r => r.Operation));
        Assert.All(us, r => Assert.Equal("us-cisa", r.Org)); // the reserved id is never handed out

        var jp = AuditScope.For(new CallerIdentity("jp-nisc", "jp-nisc/auditor1", "jp-auditor", ["auditor"]), peers).Apply(records);
        Assert.Equal("jp-nisc/analyst1", Assert.Single(jp).Member);
    }

    static JsonObject Marked(JsonObject o, string marking)
    {
        o["object_marking_refs"] = new JsonArray(marking);
        return o;
    }
}
