using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Stix.Upgrade;
using ThreatGraph.Stix.Validation;

namespace ThreatGraph.Stix.Tests;

/// <summary>STIX 2.0 → 2.1 (<see cref="Stix20Upgrader"/>): the spec's 2.0 examples, the four shared 2.0 playbooks, and
/// what cannot be upgraded.</summary>
public class Stix20UpgraderTests
{
    const string Playbooks = "stix20-unit42-playbooks/";

    static JsonObject Parse(string json) => (JsonObject)JsonNode.Parse(json)!;

    static Stix20Upgrade Upgrade(string json) => Stix20Upgrader.Upgrade(Parse(json), "$.objects[0]");

    static void AssertValid(JsonObject obj, string path = "$")
    {
        var errors = SharedData.Errors(StixValidator.Validate(obj, path));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [InlineData("""{"type": "indicator", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}""", true)]
    [InlineData("""{"type": "indicator", "spec_version": "2.0", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}""", true)]
    [InlineData("""{"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}""", false)]
    [InlineData("""{"type": "ipv4-addr", "id": "ipv4-addr--8a602356-2fdd-565f-bfb2-5b282a215584", "value": "203.0.113.5"}""", false)]
    [InlineData("""{"type": "marking-definition", "id": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"}""", true)]
    public void Objects_without_spec_version_other_than_2_1_observables_are_STIX_2_0(string json, bool is20) =>
        Assert.Equal(is20, Stix20Detection.IsStix20(Parse(json)));

    /// <summary>STIX 2.0 part 2, section 4.5.3 (Indicator example).</summary>
    [Fact]
    public void The_spec_indicator_example_gains_spec_version_indicator_types_and_pattern_type()
    {
        const string spec20 = """
            {"type": "indicator", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
             "created_by_ref": "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff",
             "created": "2016-04-06T20:03:48.000Z", "modified": "2016-04-06T20:03:48.000Z",
             "labels": ["malicious-activity"], "name": "Poison Ivy Malware",
             "description": "This file is part of Poison Ivy",
             "pattern": "[ file:hashes.'SHA-256' = '4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877' ]",
             "valid_from": "2016-01-01T00:00:00Z", "x_acme_score": 7}
            """;
        var up = Upgrade(spec20);
        var o = up.Object;
        Assert.Equal("2.1", o["spec_version"]!.GetValue<string>());
        Assert.Equal(["malicious-activity"], o["indicator_types"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.False(o.ContainsKey("labels"));
        Assert.Equal("stix", o["pattern_type"]!.GetValue<string>());
        // Timestamps and custom properties are kept as sent.
        Assert.Equal("2016-04-06T20:03:48.000Z", o["created"]!.GetValue<string>());
        Assert.Equal("2016-01-01T00:00:00Z", o["valid_from"]!.GetValue<string>());
        Assert.Equal(7, o["x_acme_score"]!.GetValue<int>());
        Assert.Equal(["spec_version \"2.1\" added", "labels → indicator_types", "pattern_type \"stix\" added"], up.Changes);
        AssertValid(o);
        // The original tree is not touched.
        Assert.False(Parse(spec20).ContainsKey("spec_version"));
    }

    /// <summary>STIX 2.0 part 1, section 4.1.4: the TLP marking definitions 2.0 content refers to (same ids in 2.1).</summary>
    [Fact]
    public void The_2_0_TLP_marking_definitions_upgrade_to_valid_2_1()
    {
        var up = Upgrade("""
            {"type": "marking-definition", "id": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
             "created": "2017-01-20T00:00:00.000Z", "definition_type": "tlp", "definition": {"tlp": "green"}}
            """);
        Assert.Equal("2.1", up.Object["spec_version"]!.GetValue<string>());
        AssertValid(up.Object);
    }

    [Theory]
    [InlineData("malware", "malware_types", """ "name": "Cryptolocker", "labels": ["ransomware"] """)]
    [InlineData("threat-actor", "threat_actor_types", """ "name": "Evil Org", "labels": ["crime-syndicate"] """)]
    [InlineData("tool", "tool_types", """ "name": "VNC", "labels": ["remote-access"] """)]
    [InlineData("report", "report_types", """ "name": "The Black Vine Cyberespionage Group", "labels": ["campaign"], "published": "2016-01-20T17:00:00.000Z", "object_refs": ["indicator--26ffb872-1dd9-446e-b6f5-d58527e5b5d2"] """)]
    public void Labels_become_the_type_vocabulary_of_2_1(string type, string vocabulary, string properties)
    {
        var up = Upgrade($$"""
            {"type": "{{type}}", "id": "{{type}}--31b940d4-6f7f-459a-80ea-9c1f17b5891b",
             "created": "2016-04-06T20:07:09.000Z", "modified": "2016-04-06T20:07:09.000Z", {{properties}} }
            """);
        Assert.NotNull(up.Object[vocabulary]);
        Assert.False(up.Object.ContainsKey("labels"));
        AssertValid(up.Object);
        if (type == "malware")
        {
            Assert.True(up.Object["is_family"]!.GetValue<bool>()); // the documented default
        }
    }

    /// <summary>STIX 2.0 part 2, section 2.8 (Observed Data) with a network connection whose refs name dictionary keys.</summary>
    [Fact]
    public void Observed_data_objects_become_SCOs_with_deterministic_ids_and_rewritten_refs()
    {
        var up = Upgrade("""
            {"type": "observed-data", "id": "observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf",
             "created_by_ref": "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff",
             "created": "2016-04-06T19:58:16.000Z", "modified": "2016-04-06T19:58:16.000Z",
             "first_observed": "2015-12-21T19:00:00Z", "last_observed": "2015-12-21T19:00:00Z", "number_observed": 50,
             "object_marking_refs": ["marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"],
             "objects": {
               "0": {"type": "ipv4-addr", "value": "203.0.113.5"},
               "1": {"type": "ipv4-addr", "value": "198.51.100.3"},
               "2": {"type": "network-traffic", "src_ref": "0", "dst_ref": "1", "protocols": ["tcp"], "dst_port": 443},
               "3": {"type": "process", "pid": 1221, "binary_ref": "4", "created": "2015-12-21T19:00:00Z", "opened_connection_refs": ["2"]},
               "4": {"type": "file", "name": "gse.exe", "hashes": {"MD5": "3773a88f65a5e780c8dff9cdc3a056f3"}, "modified": "2015-12-21T19:00:00Z"}
             }}
            """);
        var byKey = up.Observables.ToDictionary(o => o.Key, o => o.Object);
        // The id README.md gives for this address (UUIDv5 of its value), as a 2.1 producer would send it.
        Assert.Equal("ipv4-addr--826fe3cb-56b0-5620-9d30-4c17ed7b24e3", byKey["0"]["id"]!.GetValue<string>());
        var traffic = byKey["2"];
        Assert.Equal(byKey["0"]["id"]!.GetValue<string>(), traffic["src_ref"]!.GetValue<string>());
        Assert.Equal(byKey["1"]["id"]!.GetValue<string>(), traffic["dst_ref"]!.GetValue<string>());
        Assert.Equal(ScoId.Compute(traffic), traffic["id"]!.GetValue<string>());
        var process = byKey["3"];
        Assert.Equal(byKey["4"]["id"]!.GetValue<string>(), process["image_ref"]!.GetValue<string>());
        Assert.Equal("2015-12-21T19:00:00Z", process["created_time"]!.GetValue<string>());
        Assert.Equal(traffic["id"]!.GetValue<string>(), process["opened_connection_refs"]![0]!.GetValue<string>());
        Assert.Equal("2015-12-21T19:00:00Z", byKey["4"]["mtime"]!.GetValue<string>());
        // A process has no id-contributing properties: its id is stable for this observed-data and key.
        Assert.Equal($"process--{UuidV5.Create(ScoId.Namespace, "observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf/objects/3"):D}",
            process["id"]!.GetValue<string>());
        // Who may see the observation may see what it observed, nobody else.
        Assert.All(up.Observables, o => Assert.Equal("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
            o.Object["object_marking_refs"]![0]!.GetValue<string>()));

        Assert.False(up.Object.ContainsKey("objects"));
        Assert.Equal(up.Observables.Select(o => o.Object["id"]!.GetValue<string>()),
            up.Object["object_refs"]!.AsArray().Select(x => x!.GetValue<string>()));
        AssertValid(up.Object);
        Assert.All(up.Observables, o => AssertValid(o.Object, o.Path));

        // Deterministic: the same observables in another observed-data, under other keys, get the same ids.
        var again = Upgrade("""
            {"type": "observed-data", "id": "observed-data--00000000-02ac-498a-92f9-32f845f448cf",
             "created": "2016-04-06T19:58:16.000Z", "modified": "2016-04-06T19:58:16.000Z",
             "first_observed": "2015-12-21T19:00:00Z", "last_observed": "2015-12-21T19:00:00Z", "number_observed": 1,
             "objects": {"7": {"type": "ipv4-addr", "value": "198.51.100.3"}, "5": {"type": "ipv4-addr", "value": "203.0.113.5"},
                         "9": {"type": "network-traffic", "src_ref": "5", "dst_ref": "7", "protocols": ["tcp"], "dst_port": 443}}}
            """);
        Assert.Equal(traffic["id"]!.GetValue<string>(), again.Observables.Single(o => o.Key == "9").Object["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"0": {"type": "network-traffic", "src_ref": "1", "protocols": ["tcp"]}}""", "$.objects[0].objects['0']", "refers to '1', which is not a key")]
    [InlineData("""{"0": {"type": "ipv4-addr", "value": "10.0.0.1", "resolves_to_refs": ["5"]}}""", "$.objects[0].objects['0'].resolves_to_refs[0]", "refers to '5', which is not a key")]
    [InlineData("""{"0": {"type": "file", "name": "a.zip", "is_encrypted": true}}""", "$.objects[0].objects['0'].is_encrypted", "STIX 2.1 removed file.is_encrypted")]
    [InlineData("""{"0": {"type": "process", "pid": 4, "name": "cmd.exe"}}""", "$.objects[0].objects['0'].name", "STIX 2.1 removed process.name")]
    [InlineData("""{"0": {"type": "x-acme-thing", "value": "a"}}""", "$.objects[0].objects['0'].type", "'x-acme-thing' is not a STIX 2.1 cyber-observable type")]
    [InlineData("""{}""", "$.objects[0].objects", "must be a non-empty dictionary")]
    [InlineData("""{"0": {"type": "network-traffic", "src_ref": "1", "protocols": ["tcp"]}, "1": {"type": "network-traffic", "src_ref": "0", "protocols": ["udp"]}}""",
        "$.objects[0].objects['0']", "cycle")]
    public void An_observed_data_that_cannot_be_upgraded_names_the_path(string objects, string path, string message)
    {
        var e = Assert.Throws<Stix20UpgradeException>(() => Upgrade($$"""
            {"type": "observed-data", "id": "observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf",
             "created": "2016-04-06T19:58:16.000Z", "modified": "2016-04-06T19:58:16.000Z",
             "first_observed": "2015-12-21T19:00:00Z", "last_observed": "2015-12-21T19:00:00Z", "number_observed": 1,
             "objects": {{objects}} }
            """));
        Assert.Equal(path, e.Path);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Labels_and_the_2_1_vocabulary_together_cannot_be_upgraded()
    {
        var e = Assert.Throws<Stix20UpgradeException>(() => Upgrade("""
            {"type": "tool", "id": "tool--31b940d4-6f7f-459a-80ea-9c1f17b5891b", "created": "2016-04-06T20:07:09.000Z",
             "modified": "2016-04-06T20:07:09.000Z", "name": "VNC", "labels": ["remote-access"], "tool_types": ["remote-access"]}
            """));
        Assert.Equal("$.objects[0].tool_types", e.Path);
    }

    /// <summary>The four shared Unit 42 playbooks (STIX 2.0): every object upgrades and validates as STIX 2.1 with no
    /// error. No rejection is justified by the 2.0 specification for these files, so none is listed.</summary>
    [Theory]
    [InlineData("conti-ransomware.json", 416)]
    [InlineData("darkside-ransomware.json", 515)]
    [InlineData("emotet.json", 2858)]
    [InlineData("fighting-ursa.json", 686)]
    public void The_shared_playbooks_upgrade_to_valid_STIX_2_1(string file, int objects)
    {
        var bundle = SharedData.ReadBundle(Playbooks + file);
        Assert.Equal(objects, bundle.Entries.Count);
        var errors = new List<StixIssue>();
        foreach (var entry in bundle.Entries)
        {
            Assert.True(Stix20Detection.IsStix20(entry.Json!), entry.Path);
            var up = Stix20Upgrader.Upgrade(entry.Json!, entry.Path);
            errors.AddRange(SharedData.Errors(StixValidator.Validate(up.Object, entry.Path)));
            Assert.Equal("2.1", up.Object["spec_version"]!.GetValue<string>());
            // Everything else is kept as sent: timestamps, custom properties (x_mitre_*, x_panw_*), refs.
            foreach (var (name, value) in entry.Json!.Where(p => p.Key != "labels" || up.Object.ContainsKey("labels")))
            {
                Assert.True(JsonNode.DeepEquals(value, up.Object[name]), $"{entry.Path}.{name} changed");
            }
        }
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(20)));
    }
}
