using System.Text.Json.Nodes;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;

namespace ThreatGraph.Enrichment.Tests;

/// <summary>STIX objects the enrichment tests are made of.</summary>
public static class Fixtures
{
    /// <summary>An object as ATT&amp;CK publishes it: an external reference of an ATT&amp;CK source and x_mitre_ properties.</summary>
    public static JsonObject AttackTechnique(string attackId, string name)
    {
        var o = StixBuilder.Sdo("attack-pattern", name: name);
        o["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "mitre-attack", ["external_id"] = attackId });
        o["x_mitre_version"] = "1.0";
        return o;
    }

    /// <summary>A TLP:RED object of its reporter, naming further members as recipients.</summary>
    public static JsonObject Red(JsonObject o, params string[] recipients)
    {
        o["object_marking_refs"] = new JsonArray(Tlp.RedId);
        if (recipients.Length > 0)
        {
            o["x_threatgraph_recipients"] = new JsonArray([.. recipients.Select(r => (JsonNode)JsonValue.Create(r))]);
        }
        return o;
    }

    public static string Id(JsonObject o) => o["id"]!.GetValue<string>();
}
