using System.Net;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// Issue 11, row 3: markings fail closed. TLP 1.0 ids read as their TLP 2.0 equivalents; a marking the service cannot
/// interpret leaves the object to its reporting organisation, with a warning in the ingest answer; granular markings
/// count for the whole object. Also: no organisation publishes in another's name (row 12, created_by_ref).
/// </summary>
public sealed class MarkingTests(MarkingTests.Host host) : IClassFixture<MarkingTests.Host>
{
    public sealed class Host : ApiFactory;

    public static TheoryData<string, string[], string[]> MarkedCases => new()
    {
        // case, markings, readers expected to see it (jp-nisc/analyst1 reports every object, naming us-cisa as recipient)
        { "TLP 1.0 RED", [Tlp.Tlp1RedId], [K.JpAnalyst] },
        { "TLP 1.0 AMBER (shared with us-cisa, and so its client it-isac)", [Tlp.Tlp1AmberId], [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst, K.IsacAnalyst] },
        { "TLP 1.0 GREEN", [Tlp.Tlp1GreenId], [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst, K.IsacAnalyst] },
        { "TLP 1.0 WHITE", [Tlp.Tlp1WhiteId], [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst, K.IsacAnalyst] },
        { "an unknown marking id", ["marking-definition--" + "0badc0de-0000-4000-8000-000000000001"], [K.JpAnalyst, K.JpAnalyst2] },
        { "GREEN and an unknown marking", [Tlp.GreenId, "marking-definition--" + "0badc0de-0000-4000-8000-000000000002"], [K.JpAnalyst, K.JpAnalyst2] },
        { "RED and an unknown marking", [Tlp.RedId, "marking-definition--" + "0badc0de-0000-4000-8000-000000000003"], [K.JpAnalyst] },
    };

    [Theory]
    [MemberData(nameof(MarkedCases))]
    public async Task Markings_are_read_as_tlp_or_fail_closed(string name, string[] markings, string[] visibleTo)
    {
        var campaign = StixBuilder.Sdo("campaign", name: name + " " + Guid.NewGuid().ToString("N")[..8]);
        campaign["object_marking_refs"] = new JsonArray([.. markings.Select(m => (JsonNode)m)]);
        campaign["x_threatgraph_recipients"] = new JsonArray("us-cisa"); // ignored when the object fails closed
        var result = await IngestOneAsync(campaign, K.JpAnalyst);
        var failsClosed = markings.Any(m => !Tlp.AnyVersionById.ContainsKey(m));
        Assert.Equal(failsClosed, result["warnings"]!.AsArray().Any(w => w!["message"]!.GetValue<string>().Contains("reporting organisation only")));
        await AssertVisibleToAsync(campaign["id"]!.GetValue<string>(), visibleTo, name);
    }

    [Fact]
    public async Task A_custom_definition_claiming_tlp_red_fails_closed_and_a_statement_marking_leaves_the_default()
    {
        var custom = new JsonObject
        {
            ["type"] = "marking-definition", ["spec_version"] = "2.1", ["id"] = StixBuilder.NewId("marking-definition"),
            ["created"] = "2024-01-01T00:00:00.000Z", ["definition_type"] = "tlp", ["definition"] = new JsonObject { ["tlp"] = "red" },
        };
        var statement = new JsonObject
        {
            ["type"] = "marking-definition", ["spec_version"] = "2.1", ["id"] = StixBuilder.NewId("marking-definition"),
            ["created"] = "2024-01-01T00:00:00.000Z", ["definition_type"] = "statement", ["definition"] = new JsonObject { ["statement"] = "Copyright 2024 jp-nisc" },
        };
        var claimed = StixBuilder.Sdo("campaign", name: "claims red");
        claimed["object_marking_refs"] = new JsonArray(custom["id"]!.GetValue<string>());
        var stated = StixBuilder.Sdo("campaign", name: "statement only");
        stated["object_marking_refs"] = new JsonArray(statement["id"]!.GetValue<string>());
        var (status, report) = await host.PostBundleAsync(ApiFactory.Bundle(custom, statement, claimed, stated), apiKey: K.JpAnalyst);
        Assert.Equal(HttpStatusCode.OK, status);
        var results = report["objects"]!.AsArray();
        Assert.Equal("rejected", results[0]!["outcome"]!.GetValue<string>()); // a TLP 1.0 definition with a made-up id is invalid STIX
        Assert.Contains(results[2]!["warnings"]!.AsArray(), w => w!["message"]!.GetValue<string>().Contains("reporting organisation only"));
        Assert.Equal("created", results[3]!["outcome"]!.GetValue<string>());

        await AssertVisibleToAsync(claimed["id"]!.GetValue<string>(), [K.JpAnalyst, K.JpAnalyst2], "custom TLP claim");
        await AssertVisibleToAsync(stated["id"]!.GetValue<string>(), [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst, K.IsacAnalyst], "statement marking");

        // The statement marking is known once stored: a later object marked with it alone is read the same way.
        var later = StixBuilder.Sdo("campaign", name: "statement, later bundle");
        later["object_marking_refs"] = new JsonArray(statement["id"]!.GetValue<string>());
        await IngestOneAsync(later, K.JpAnalyst);
        await AssertVisibleToAsync(later["id"]!.GetValue<string>(), [K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst, K.IsacAnalyst], "stored statement marking");
    }

    [Fact]
    public async Task A_red_granular_marking_makes_the_whole_object_red()
    {
        var campaign = StixBuilder.Sdo("campaign", name: "granular " + Guid.NewGuid().ToString("N")[..8]);
        campaign["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        campaign["description"] = "the red part";
        campaign["granular_markings"] = new JsonArray(new JsonObject { ["marking_ref"] = Tlp.RedId, ["selectors"] = new JsonArray("description") });
        var result = await IngestOneAsync(campaign, K.JpAnalyst);
        Assert.Contains(result["warnings"]!.AsArray(), w => w!["message"]!.GetValue<string>().Contains("granular markings are applied to the whole object"));
        await AssertVisibleToAsync(campaign["id"]!.GetValue<string>(), [K.JpAnalyst], "granular RED");
    }

    [Fact]
    public async Task No_organisation_publishes_as_another_organisations_identity()
    {
        const string usIdentity = "identity--ad698621-c12a-48e0-91c4-8b36d369df67"; // Community:Organisations:us-cisa:IdentityIds
        var forged = StixBuilder.Sdo("identity", usIdentity, name: "US CISA (forged by jp)");
        forged["identity_class"] = "organization";
        var claim = StixBuilder.Sdo("report", name: "a report in us-cisa's name");
        claim["created_by_ref"] = usIdentity;
        claim["published"] = "2024-01-01T00:00:00.000Z";
        claim["object_refs"] = new JsonArray(StixBuilder.NewId("campaign"));
        var (_, report) = await host.PostBundleAsync(ApiFactory.Bundle(forged, claim), apiKey: K.JpAnalyst);
        var results = report["objects"]!.AsArray();
        Assert.All(results, r => Assert.Equal("rejected", r!["outcome"]!.GetValue<string>()));
        Assert.Contains("us-cisa's own identity", results[0]!["errors"]![0]!["message"]!.GetValue<string>());
        Assert.EndsWith(".created_by_ref", results[1]!["errors"]![0]!["path"]!.GetValue<string>());

        // us-cisa itself may.
        var genuine = StixBuilder.Sdo("identity", usIdentity, name: "US CISA (sample)");
        genuine["identity_class"] = "organization";
        Assert.NotEqual("rejected", (await IngestOneAsync(genuine, K.UsAnalyst))["outcome"]!.GetValue<string>());
    }

    async Task<JsonNode> IngestOneAsync(JsonObject obj, string key)
    {
        var (status, report) = await host.PostBundleAsync(ApiFactory.Bundle(obj), apiKey: key);
        Assert.Equal(HttpStatusCode.OK, status);
        return report["objects"]![0]!;
    }

    async Task AssertVisibleToAsync(string id, string[] visibleTo, string what)
    {
        foreach (var reader in new[] { K.JpAnalyst, K.JpAnalyst2, K.UsAnalyst, K.IsacAnalyst })
        {
            var data = await host.DataAsync("query($id: ID!) { object(id: $id) { id } }", new { id }, reader);
            Assert.True(visibleTo.Contains(reader) == data["object"] is not null, $"{what}: {reader} expected {(visibleTo.Contains(reader) ? "visible" : "hidden")}");
        }
    }
}
