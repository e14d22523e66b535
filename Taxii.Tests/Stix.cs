using System.Text.Json.Nodes;
using ThreatGraph.TestSupport;

namespace ThreatGraph.Taxii.Tests;

/// <summary>Test objects of a type of their own (<c>x-t…</c>), so tests sharing one collection filter to their own.</summary>
public static class Stix
{
    public static string NewType() => "x-t" + Guid.NewGuid().ToString("N")[..12];

    public static JsonObject Custom(string type, string? id = null, string modified = "2024-01-01T00:00:00.000Z", string? marking = null,
        params string[] recipients)
    {
        var o = StixBuilder.Sdo(type, id, modified, name: "test object");
        if (marking is not null)
        {
            o["object_marking_refs"] = new JsonArray(marking);
        }
        if (recipients.Length > 0)
        {
            o["x_threatgraph_recipients"] = new JsonArray([.. recipients.Select(r => (JsonNode)r)]);
        }
        return o;
    }
}
