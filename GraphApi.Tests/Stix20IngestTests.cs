using System.Diagnostics;
using Xunit.Abstractions;
using System.Net;
using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// Issue 15, part 1: STIX 2.0 in, STIX 2.1 stored. Each object gets its own result (upgraded with a warning saying
/// what changed, or rejected with the path), the 2.0 original is readable exactly as sent by whoever may read the
/// object and by nobody else, and the four shared 2.0 playbooks ingest and link as 2.1 content would.
/// </summary>
public sealed class Stix20IngestTests(Stix20IngestTests.Host host, ITestOutputHelper output) : IClassFixture<Stix20IngestTests.Host>
{
    public sealed class Host : ApiFactory;

    static string Id(string type) => $"{type}--{Guid.NewGuid()}";

    static string Outcome(JsonNode? result) => result!["outcome"]!.GetValue<string>();

    static IEnumerable<string> Messages(JsonNode? result, string kind) =>
        result![kind]!.AsArray().Select(w => w!["message"]!.GetValue<string>());

    [Fact]
    public async Task A_mixed_2_0_and_2_1_bundle_answers_each_object_and_loses_nothing_valid()
    {
        var indicator = Id("indicator");
        var malware = Id("malware");
        var observed = Id("observed-data");
        var broken = Id("observed-data");
        var removed = Id("observed-data");
        var campaign = Id("campaign");
        var missing = Id("campaign"); // a broken reference: not in the bundle, not known here
        var bundle = $$$"""
            {"type": "bundle", "id": "{{{Id("bundle")}}}", "spec_version": "2.0", "objects": [
              {"type": "indicator", "id": "{{{indicator}}}", "created": "2017-01-01T00:00:00.000Z", "modified": "2017-01-01T00:00:00.000Z",
               "labels": ["malicious-activity"], "pattern": "[domain-name:value = 'stix20-upgrade.test']", "valid_from": "2017-01-01T00:00:00Z",
               "x_feed_score": 80},
              {"type": "malware", "id": "{{{malware}}}", "created": "2017-01-01T00:00:00.000Z", "modified": "2017-01-01T00:00:00.000Z",
               "name": "Upgrade Rat", "labels": ["remote-access-trojan"]},
              {"type": "observed-data", "id": "{{{observed}}}", "created": "2017-01-01T00:00:00.000Z", "modified": "2017-01-01T00:00:00.000Z",
               "first_observed": "2017-01-01T00:00:00Z", "last_observed": "2017-01-01T00:00:00Z", "number_observed": 3,
               "objects": {"0": {"type": "domain-name", "value": "stix20-upgrade.test"},
                           "1": {"type": "ipv4-addr", "value": "100.64.20.1"},
                           "2": {"type": "network-traffic", "src_ref": "1", "dst_ref": "0", "protocols": ["tcp"]} } },
              {"type": "observed-data", "id": "{{{broken}}}", "created": "2017-01-01T00:00:00.000Z", "modified": "2017-01-01T00:00:00.000Z",
               "first_observed": "2017-01-01T00:00:00Z", "last_observed": "2017-01-01T00:00:00Z", "number_observed": 1,
               "objects": {"0": {"type": "network-traffic", "src_ref": "7", "protocols": ["tcp"]} } },
              {"type": "observed-data", "id": "{{{removed}}}", "created": "2017-01-01T00:00:00.000Z", "modified": "2017-01-01T00:00:00.000Z",
               "first_observed": "2017-01-01T00:00:00Z", "last_observed": "2017-01-01T00:00:00Z", "number_observed": 1,
               "objects": {"0": {"type": "file", "name": "secret.zip", "is_encrypted": true} } },
              {"type": "campaign", "spec_version": "2.1", "id": "{{{campaign}}}", "created": "2024-01-01T00:00:00.000Z",
               "modified": "2024-01-01T00:00:00.000Z", "name": "A 2.1 campaign in a 2.0 bundle"},
              {"type": "malware", "id": "{{{Id("malware")}}}", "created": "2017-01-01T00:00:00.000Z", "modified": "2017-01-01"},
              {"type": "relationship", "id": "{{{Id("relationship")}}}", "created": "2017-01-01T00:00:00.000Z", "modified": "2017-01-01T00:00:00.000Z",
               "relationship_type": "indicates", "source_ref": "{{{indicator}}}", "target_ref": "{{{missing}}}"}
            ]}
            """;
        var (status, report) = await host.PostBundleAsync(bundle);
        Assert.Equal(HttpStatusCode.OK, status);
        var r = report["objects"]!.AsArray();
        Assert.Equal(["created", "created", "created", "rejected", "rejected", "created", "rejected", "created"], r.Select(Outcome));

        Assert.Contains("STIX 2.0 object upgraded to 2.1 (spec_version \"2.1\" added; labels → indicator_types; pattern_type \"stix\" added)",
            Messages(r[0], "warnings").First());
        Assert.Contains("is_family true added", Messages(r[1], "warnings").First());
        var domainId = ScoId.Compute(new JsonObject { ["type"] = "domain-name", ["value"] = "stix20-upgrade.test" })!;
        Assert.Contains($"'0' = {domainId}", Messages(r[2], "warnings").First());
        Assert.Equal("$.objects[3].objects['0']", r[3]!["errors"]![0]!["path"]!.GetValue<string>());
        Assert.Contains("refers to '7', which is not a key", Messages(r[3], "errors").Single());
        Assert.Equal("$.objects[4].objects['0'].is_encrypted", r[4]!["errors"]![0]!["path"]!.GetValue<string>());
        Assert.DoesNotContain(Messages(r[5], "warnings"), m => m.Contains("upgraded"));
        Assert.Equal("$.objects[6].modified", r[6]!["errors"]![0]!["path"]!.GetValue<string>()); // upgraded, then validated as 2.1

        var data = await host.DataAsync($$"""
            { i: object(id: "{{indicator}}") { specVersion stix originalStix20 ... on Indicator { patternType indicatorTypes } }
              o: object(id: "{{observed}}") { stix relationships(direction: OUT, types: ["object_refs"]) { totalCount } }
              d: object(id: "{{domainId}}") { placeholder relationships(direction: IN) { totalCount } }
              c: object(id: "{{campaign}}") { originalStix20 }
              b: object(id: "{{broken}}") { id }
              p: object(id: "{{missing}}") { placeholder } }
            """);
        Assert.Equal("2.1", data["i"]!["specVersion"]!.GetValue<string>());
        Assert.Equal("stix", data["i"]!["patternType"]!.GetValue<string>());
        var stored = JsonNode.Parse(data["i"]!["stix"]!.GetValue<string>())!;
        Assert.Equal(80, stored["x_feed_score"]!.GetValue<int>());
        Assert.Equal("2017-01-01T00:00:00Z", stored["valid_from"]!.GetValue<string>());
        // The original exactly as it was in the bundle (same bytes, same property order).
        var original = data["i"]!["originalStix20"]!.GetValue<string>();
        Assert.Contains(original, bundle);
        Assert.StartsWith("{\"type\": \"indicator\"", original);
        Assert.Equal(3, data["o"]!["relationships"]!["totalCount"]!.GetValue<int>());
        Assert.False(data["d"]!["placeholder"]!.GetValue<bool>()); // written as an object of its own
        Assert.True(data["c"]!["originalStix20"] is null);
        Assert.True(data["b"] is null);
        Assert.True(data["p"]!["placeholder"]!.GetValue<bool>()); // a 2.0 relationship to an object not sent points at a placeholder, as in 2.1

        // REST: the original, and "not upgraded" for 2.1 content.
        using var client = host.ClientFor(K.JpAnalyst);
        using var rest = await client.GetAsync($"/api/objects/{indicator}/stix20");
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        Assert.Equal("application/stix+json; version=2.0", rest.Content.Headers.ContentType!.ToString());
        Assert.Equal(original, await rest.Content.ReadAsStringAsync());
        using var not = await client.GetAsync($"/api/objects/{campaign}/stix20");
        Assert.Equal(HttpStatusCode.NotFound, not.StatusCode);
        Assert.Contains("NOT_UPGRADED", await not.Content.ReadAsStringAsync());

        // Sending the same 2.0 bundle again changes nothing.
        var (_, again) = await host.PostBundleAsync(bundle);
        Assert.Equal(["unchanged", "unchanged", "unchanged", "rejected", "rejected", "unchanged", "rejected", "unchanged"], again["objects"]!.AsArray().Select(Outcome));
    }

    [Fact]
    public async Task A_red_2_0_object_and_its_original_and_observables_are_hidden_from_another_organisation()
    {
        var indicator = Id("indicator");
        var observed = Id("observed-data");
        var address = $"100.64.{Random.Shared.Next(0, 255)}.{Random.Shared.Next(1, 255)}";
        var addressId = ScoId.Compute(new JsonObject { ["type"] = "ipv4-addr", ["value"] = address })!;
        var bundle = $$$"""
            {"type": "bundle", "id": "{{{Id("bundle")}}}", "spec_version": "2.0", "objects": [
              {"type": "indicator", "id": "{{{indicator}}}", "created": "2017-01-01T00:00:00.000Z", "modified": "2017-01-01T00:00:00.000Z",
               "labels": ["malicious-activity"], "pattern": "[ipv4-addr:value = '{{{address}}}']", "valid_from": "2017-01-01T00:00:00Z",
               "object_marking_refs": ["{{{Tlp.Tlp1RedId}}}"]},
              {"type": "observed-data", "id": "{{{observed}}}", "created": "2017-01-01T00:00:00.000Z", "modified": "2017-01-01T00:00:00.000Z",
               "first_observed": "2017-01-01T00:00:00Z", "last_observed": "2017-01-01T00:00:00Z", "number_observed": 1,
               "object_marking_refs": ["{{{Tlp.Tlp1RedId}}}"], "objects": {"0": {"type": "ipv4-addr", "value": "{{{address}}}"} } }
            ]}
            """;
        var (_, report) = await host.PostBundleAsync(bundle, apiKey: K.JpAnalyst);
        Assert.Equal(["created", "created"], report["objects"]!.AsArray().Select(Outcome));

        const string query = """
            query($i: ID!, $o: ID!, $a: ID!) { i: object(id: $i) { originalStix20 } o: object(id: $o) { originalStix20 } a: object(id: $a) { stix } }
            """;
        var vars = new { i = indicator, o = observed, a = addressId };
        var mine = await host.DataAsync(query, vars, K.JpAnalyst);
        Assert.NotNull(mine["i"]!["originalStix20"]);
        Assert.NotNull(mine["a"]); // the observable, marked RED like the observation
        Assert.Contains(Tlp.Tlp1RedId, mine["a"]!["stix"]!.GetValue<string>());

        foreach (var other in new[] { K.UsAnalyst, K.JpAnalyst2, K.IsacAnalyst })
        {
            var theirs = await host.DataAsync(query, vars, other);
            Assert.True(theirs["i"] is null && theirs["o"] is null && theirs["a"] is null, $"{other} sees a RED object: {theirs.ToJsonString()}");
            using var client = host.ClientFor(other);
            foreach (var id in new[] { indicator, observed })
            {
                using var rest = await client.GetAsync($"/api/objects/{id}/stix20");
                Assert.Equal(HttpStatusCode.NotFound, rest.StatusCode);
                var body = await rest.Content.ReadAsStringAsync();
                Assert.Contains("no such object", body); // the same answer as for an id that does not exist
                Assert.DoesNotContain(address, body);
            }
        }
    }

    /// <summary>The four shared STIX 2.0 playbooks: no rejection at all (none is justified by the 2.0 specification for
    /// these files), every upgraded object says so, and the graph is the one their 2.1 equivalents give: each campaign
    /// keeps its indicators, and a 2.1 report of the same domain by another organisation links to it.</summary>
    [Fact]
    public async Task The_shared_playbooks_ingest_without_rejection_and_link_into_campaigns()
    {
        string[] files = ["conti-ransomware.json", "darkside-ransomware.json", "emotet.json", "fighting-ursa.json"];
        var total = 0;
        var clock = Stopwatch.StartNew();
        foreach (var file in files)
        {
            var bytes = SharedData.Bytes("stix20-unit42-playbooks/" + file);
            var (status, report) = await host.PostBundleAsync(bytes);
            Assert.Equal(HttpStatusCode.OK, status);
            var objects = report["objects"]!.AsArray();
            var rejected = objects.Where(o => Outcome(o) == "rejected").Select(o => o!.ToJsonString()).ToList();
            Assert.True(rejected.Count == 0, $"{file}: {string.Join("\n", rejected.Take(5))}");
            Assert.All(objects, o => Assert.StartsWith("STIX 2.0 object upgraded to 2.1", Messages(o, "warnings").First()));
            total += objects.Count;
        }
        output.WriteLine($"{total} STIX 2.0 objects upgraded and ingested in {clock.Elapsed.TotalSeconds:F1} s ({total / clock.Elapsed.TotalSeconds:F0} objects/s)");

        // Each campaign keeps its `indicates` relationships, as in the file.
        var darkside = JsonNode.Parse(SharedData.Bytes("stix20-unit42-playbooks/darkside-ransomware.json"))!["objects"]!.AsArray();
        var campaign = darkside.Single(o => o!["type"]!.GetValue<string>() == "campaign")!["id"]!.GetValue<string>();
        var indicates = darkside.Count(o => o!["type"]!.GetValue<string>() == "relationship" && o["relationship_type"]!.GetValue<string>() == "indicates"
            && o["target_ref"]!.GetValue<string>() == campaign);
        // An indicator of a domain (ThreatGraph links patterns naming addresses, domains, URLs…, not file hashes).
        var domainIndicator = darkside.First(o => o!["type"]!.GetValue<string>() == "indicator" && o["pattern"]!.GetValue<string>() == "[domain-name:value = 'temisleyes.com']")!;
        var pattern = domainIndicator["pattern"]!.GetValue<string>();
        var data = await host.DataAsync($$"""
            { c: object(id: "{{campaign}}") { name relationships(direction: IN, types: ["indicates"]) { totalCount } }
              i: object(id: "{{domainIndicator["id"]}}") { ... on Indicator { indicatorTypes patternType } relationships(direction: OUT, types: ["pattern-names"]) { totalCount } } }
            """);
        Assert.Equal("Campaign 1 - Darkside", data["c"]!["name"]!.GetValue<string>());
        Assert.Equal(indicates, data["c"]!["relationships"]!["totalCount"]!.GetValue<int>());
        Assert.Equal("stix", data["i"]!["patternType"]!.GetValue<string>());
        Assert.Equal(1, data["i"]!["relationships"]!["totalCount"]!.GetValue<int>()); // the domain its pattern names

        // us-cisa reports the same domain in STIX 2.1 against its own campaign: the two campaigns link.
        var usCampaign = StixBuilder.Sdo("campaign", name: "US view of the same domain");
        usCampaign["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        var usIndicator = StixBuilder.Sdo("indicator", name: "same domain");
        usIndicator["pattern"] = pattern;
        usIndicator["pattern_type"] = "stix";
        usIndicator["valid_from"] = "2024-01-01T00:00:00Z";
        usIndicator["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        var link = StixBuilder.Relationship(usIndicator["id"]!.GetValue<string>(), "indicates", usCampaign["id"]!.GetValue<string>());
        link["object_marking_refs"] = new JsonArray(Tlp.GreenId);
        var (_, us) = await host.PostBundleAsync(ApiFactory.Bundle(usCampaign, usIndicator, link), apiKey: K.UsAnalyst);
        Assert.Equal(3, us["totals"]!["created"]!.GetValue<int>());
        var linked = await host.DataAsync($$"""
            { linkedCampaigns(campaignId: "{{usCampaign["id"]}}") { links { campaignId strength } } }
            """, apiKey: K.UsAnalyst);
        var toDarkside = linked["linkedCampaigns"]!["links"]!.AsArray().Single(l => l!["campaignId"]!.GetValue<string>() == campaign)!;
        // indicates (0.9) × pattern-names (1.0) on each side: the strength two 2.1 reports of one domain get.
        Assert.Equal(0.81, toDarkside["strength"]!.GetValue<double>(), 6);
    }
}
