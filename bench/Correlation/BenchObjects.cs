using System.Text;
using System.Text.Json.Nodes;

namespace ThreatGraph.Bench.Correlation;

/// <summary>The STIX objects the benchmark makes up, and sending them as one bundle.</summary>
public static class BenchObjects
{
    public static JsonObject Sdo(string type, string id, string? name)
    {
        var o = new JsonObject
        {
            ["type"] = type, ["spec_version"] = "2.1", ["id"] = id,
            ["created"] = "2024-01-01T00:00:00.000Z", ["modified"] = "2024-01-01T00:00:00.000Z",
        };
        if (name is not null)
        {
            o["name"] = name;
        }
        return o;
    }

    public static JsonObject Relationship(string source, string kind, string target) => new()
    {
        ["type"] = "relationship", ["spec_version"] = "2.1", ["id"] = $"relationship--{Guid.NewGuid()}",
        ["created"] = "2024-01-01T00:00:00.000Z", ["modified"] = "2024-01-01T00:00:00.000Z",
        ["relationship_type"] = kind, ["source_ref"] = source, ["target_ref"] = target,
    };

    public static async Task PostAsync(HttpClient http, IEnumerable<JsonObject> objects)
    {
        var bundle = new JsonObject { ["type"] = "bundle", ["id"] = $"bundle--{Guid.NewGuid()}", ["objects"] = new JsonArray([.. objects.Select(o => o.DeepClone())]) };
        using var response = await http.PostAsync("/api/bundles", new StringContent(bundle.ToJsonString(), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }
}
