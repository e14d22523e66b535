using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Stix.Markings;

namespace ThreatGraph.Cli.Sample;

/// <summary>
/// A small seeded scenario for the README tour: Japan's and the US's cyber centres each report a campaign; the two
/// campaigns share infrastructure (one C2 address and one domain) without either report saying so.
/// Same seed, same bytes.
/// </summary>
public static class SampleScenario
{
    public const string SharedIp = "203.0.113.5";
    public const string SharedDomain = "update-check.example.net";

    public static IReadOnlyDictionary<string, JsonObject> Build(int seed = 7)
    {
        var ids = new IdSource(seed);
        var jp = Report(ids, "jp-nisc", "Japan NISC (sample)", "Operation Cherry Frost", "FROSTBYTE",
            ips: [SharedIp, "198.51.100.23"], domains: [SharedDomain, "cdn-jp-sync.example.org"], incidentName: "Intrusion at a regional utility (JP)");
        var us = Report(ids, "us-cisa", "US CISA (sample)", "Operation Harbor Lantern", "LANTERNFISH",
            ips: [SharedIp, "192.0.2.77"], domains: [SharedDomain, "mail-relay.example.com"], incidentName: "Phishing wave at a port authority (US)");
        return new Dictionary<string, JsonObject> { ["jp-nisc-report.json"] = jp, ["us-cisa-report.json"] = us };
    }

    static JsonObject Report(IdSource ids, string org, string orgName, string campaignName, string malwareName,
        string[] ips, string[] domains, string incidentName)
    {
        const string t0 = "2026-10-01T00:00:00.000Z";
        var objects = new JsonArray();
        JsonObject Add(JsonObject o) { objects.Add(o); return o; }
        JsonObject Sdo(string type, string name) => new()
        {
            ["type"] = type, ["spec_version"] = "2.1", ["id"] = ids.Next(type), ["created"] = t0, ["modified"] = t0,
            ["name"] = name, ["object_marking_refs"] = new JsonArray(Tlp.GreenId),
        };
        string Rel(string source, string kind, string target)
        {
            var r = new JsonObject
            {
                ["type"] = "relationship", ["spec_version"] = "2.1", ["id"] = ids.Next("relationship"), ["created"] = t0, ["modified"] = t0,
                ["relationship_type"] = kind, ["source_ref"] = source, ["target_ref"] = target, ["object_marking_refs"] = new JsonArray(Tlp.GreenId),
            };
            objects.Add(r);
            return r["id"]!.GetValue<string>();
        }
        string Id(JsonObject o) => o["id"]!.GetValue<string>();

        var identity = Add(Sdo("identity", orgName));
        identity["identity_class"] = "organization";
        var by = Id(identity);
        var campaign = Add(Sdo("campaign", campaignName));
        var set = Add(Sdo("intrusion-set", $"{malwareName} operators"));
        var malware = Add(Sdo("malware", malwareName));
        malware["is_family"] = true;
        Rel(Id(campaign), "attributed-to", Id(set));
        Rel(Id(set), "uses", Id(malware));

        var observables = new List<string>();
        foreach (var (type, value) in ips.Select(v => ("ipv4-addr", v)).Concat(domains.Select(v => ("domain-name", v))))
        {
            var sco = new JsonObject { ["type"] = type, ["spec_version"] = "2.1", ["value"] = value };
            sco["id"] = ScoId.Compute(sco);
            objects.Add(sco);
            observables.Add(Id(sco));

            var indicator = Add(Sdo("indicator", $"{malwareName} C2 {value}"));
            indicator["pattern"] = $"[{type}:value = '{value}']";
            indicator["pattern_type"] = "stix";
            indicator["valid_from"] = t0;
            indicator["indicator_types"] = new JsonArray("malicious-activity");
            Rel(Id(indicator), "indicates", Id(campaign));
            Rel(Id(indicator), "indicates", Id(malware));
        }

        var incident = Add(Sdo("incident", incidentName));
        Rel(Id(incident), "related-to", Id(campaign));
        var observed = Add(new JsonObject
        {
            ["type"] = "observed-data", ["spec_version"] = "2.1", ["id"] = ids.Next("observed-data"), ["created"] = t0, ["modified"] = t0,
            ["first_observed"] = t0, ["last_observed"] = "2026-10-02T00:00:00.000Z", ["number_observed"] = 3,
            ["object_refs"] = new JsonArray([.. observables.Select(o => (JsonNode)o)]), ["object_marking_refs"] = new JsonArray(Tlp.GreenId),
        });
        Add(new JsonObject
        {
            ["type"] = "sighting", ["spec_version"] = "2.1", ["id"] = ids.Next("sighting"), ["created"] = t0, ["modified"] = t0,
            ["sighting_of_ref"] = Id(campaign), ["observed_data_refs"] = new JsonArray(Id(observed)),
            ["where_sighted_refs"] = new JsonArray(by), ["count"] = 3, ["object_marking_refs"] = new JsonArray(Tlp.GreenId),
        });
        Rel(Id(incident), "related-to", Id(observed));

        foreach (var o in objects.OfType<JsonObject>().Where(o => o["created"] is not null && o["id"]!.GetValue<string>() != by))
        {
            o["created_by_ref"] = by;
        }
        var report = Add(Sdo("report", $"{orgName}: {campaignName}"));
        report["created_by_ref"] = by;
        report["published"] = t0;
        report["report_types"] = new JsonArray("campaign");
        report["object_refs"] = new JsonArray([.. objects.OfType<JsonObject>().Where(o => o != report).Select(o => (JsonNode)Id(o))]);
        return new JsonObject { ["type"] = "bundle", ["id"] = ids.Next("bundle"), ["objects"] = objects };
    }

    /// <summary>Deterministic UUIDv4-shaped ids from a seed.</summary>
    sealed class IdSource(int seed)
    {
        readonly Random _random = new(seed);

        public string Next(string type)
        {
            var bytes = new byte[16];
            _random.NextBytes(bytes);
            bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return $"{type}--{new Guid(bytes, bigEndian: true)}";
        }
    }
}
