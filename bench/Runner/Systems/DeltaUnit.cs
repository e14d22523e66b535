using System.Text.Json;
using ThreatGraph.Bench.Generator;

namespace ThreatGraph.Bench.Runner.Systems;

/// <summary>One small write (an ipv4-addr, an indicator naming it, indicates → a target), in the forms the systems take.</summary>
public sealed record DeltaUnit(int Index, string BundleJson, IReadOnlyList<string> ObjectJson, IReadOnlyList<GenNode> Nodes, IReadOnlyList<GenEdge> Edges)
{
    /// <summary>Unit number <paramref name="index"/>; its indicator indicates <c>targets[index % targets.Count]</c>.</summary>
    public static DeltaUnit Create(int seed, int index, IReadOnlyList<string> targets)
    {
        var (objects, nodes, edges) = ThreatGraphGenerator.DeltaUnit(seed, index, targets);
        var json = objects.Select(o => o.ToJsonString()).ToList();
        var bundle = JsonSerializer.Serialize(new { type = "bundle", id = $"bundle--{Guid.NewGuid()}", objects = json.Select(j => JsonDocument.Parse(j).RootElement) });
        return new DeltaUnit(index, bundle, json, nodes, edges);
    }

    public string IndicatorId => Nodes.First(n => n.Type == "indicator").Id;
}
