using System.Text.Json.Nodes;
namespace ThreatGraph.TestSupport;

/// <summary>Small STIX builders for tests: fresh ids per call so tests sharing a cluster never collide.</summary>
public static class StixBuilder
{
    public static string NewId(string type) => $"{type}--{Guid.NewGuid()}";

    public static JsonObject Sdo(string type, string? id = null, string modified = "2024-01-01T00:00:00.000Z", string? name = null)
    {
        var o = new JsonObject
        {
            ["type"] = type, ["spec_version"] = "2.1", ["id"] = id ?? NewId(type),
            ["created"] = "2024-01-01T00:00:00.000Z", ["modified"] = modified,
        };
        if (name is not null) o["name"] = name;
        return o;
    }

    public static JsonObject Relationship(string source, string kind, string target, string? id = null, string modified = "2024-01-01T00:00:00.000Z") =>
        new()
        {
            ["type"] = "relationship", ["spec_version"] = "2.1", ["id"] = id ?? NewId("relationship"),
            ["created"] = "2024-01-01T00:00:00.000Z", ["modified"] = modified,
            ["relationship_type"] = kind, ["source_ref"] = source, ["target_ref"] = target,
        };
}
