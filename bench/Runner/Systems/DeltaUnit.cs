using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatGraph.Bench.Generator;

namespace ThreatGraph.Bench.Runner.Systems;

/// <summary>One small write (an indicator, what its pattern names, indicates → a target), in the forms the systems take.</summary>
public sealed record DeltaUnit(int Index, string BundleJson, IReadOnlyList<string> ObjectJson, IReadOnlyList<GenNode> Nodes, IReadOnlyList<GenEdge> Edges)
{
    /// <summary>Unit number <paramref name="index"/>; its indicator indicates <c>targets[index % targets.Count]</c>.</summary>
    public static DeltaUnit Create(int seed, int index, IReadOnlyList<string> targets) =>
        From(index, ThreatGraphGenerator.DeltaUnit(seed, index, targets));

    /// <summary>Unit number <paramref name="index"/> of the subscription workload: a lone indicator joining a campaign.</summary>
    public static DeltaUnit CampaignMember(int seed, int index, IReadOnlyList<string> campaigns) =>
        From(index, ThreatGraphGenerator.CampaignMemberUnit(seed, index, campaigns));

    static DeltaUnit From(int index, (JsonObject[] Objects, GenNode[] Nodes, GenEdge[] Edges) unit)
    {
        var (objects, nodes, edges) = unit;
        var json = objects.Select(o => o.ToJsonString()).ToList();
        var bundle = JsonSerializer.Serialize(new { type = "bundle", id = $"bundle--{Guid.NewGuid()}", objects = json.Select(j => JsonDocument.Parse(j).RootElement) });
        return new DeltaUnit(index, bundle, json, nodes, edges);
    }

    public string IndicatorId => Nodes.First(n => n.Type == "indicator").Id;
}
