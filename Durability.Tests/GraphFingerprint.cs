using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ThreatGraph.Durability.Tests;

/// <summary>
/// What the graph holds, read through the public API: the count per type (revoked included) and, for each given
/// id, whether it is there and how many edges it has. Two fingerprints equal = nothing lost, nothing invented.
/// </summary>
public sealed record GraphFingerprint(string TypeCounts, IReadOnlyDictionary<string, int> EdgesById)
{
    public static async Task<GraphFingerprint> ReadAsync(HttpClient http, IReadOnlyList<string> ids)
    {
        var counts = await QueryAsync(http, "{ typeCounts(includeRevoked: true) { type count } }");
        var typeCounts = string.Join(", ", counts["typeCounts"]!.AsArray()
            .Select(t => $"{t!["type"]}={t["count"]}").Order(StringComparer.Ordinal));
        var edges = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(100))
        {
            var q = new StringBuilder("{");
            for (var i = 0; i < chunk.Length; i++)
            {
                q.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $" o{i}: object(id: \"{chunk[i]}\", includeRevoked: true) {{ id relationships(includeRevoked: true, first: 0) {{ totalCount }} }}");
            }
            var data = await QueryAsync(http, q.Append('}').ToString());
            for (var i = 0; i < chunk.Length; i++)
            {
                edges[chunk[i]] = data[$"o{i}"] is JsonObject o ? o["relationships"]!["totalCount"]!.GetValue<int>() : -1;
            }
        }
        return new GraphFingerprint(typeCounts, edges);
    }

    public static async Task<JsonObject> QueryAsync(HttpClient http, string query)
    {
        using var response = await http.PostAsJsonAsync("/graphql", new { query });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GraphQL: HTTP {(int)response.StatusCode}: {body}");
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.True(json["errors"] is null, "GraphQL errors: " + body);
        return json["data"]!.AsObject();
    }

    /// <summary>Differences, for an assertion message (empty when equal).</summary>
    public string Diff(GraphFingerprint other)
    {
        var lines = new List<string>();
        if (TypeCounts != other.TypeCounts)
        {
            lines.Add($"type counts: {TypeCounts}\n          vs {other.TypeCounts}");
        }
        foreach (var (id, n) in EdgesById)
        {
            var m = other.EdgesById.GetValueOrDefault(id, -2);
            if (n != m)
            {
                lines.Add($"{id}: {n} edges vs {m}");
            }
        }
        return string.Join("\n", lines.Take(20));
    }

    /// <summary>Ids of every object of a bundle.</summary>
    public static List<string> IdsOf(byte[] bundle) =>
        [.. JsonNode.Parse(bundle)!["objects"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()).Distinct()];
}
