using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Edges;

/// <summary>Persisted state of an edge shard: at most about <see cref="Nodes.EdgeSharding.ShardCapacity"/> edges, in arrival
/// order, stored packed (<see cref="Nodes.PackedEdges"/>) and unpacked in memory.</summary>
[GenerateSerializer, Alias("tg.EdgeShardState.v2")]
public sealed class EdgeShardState
{
    [field: NonSerialized] public List<Edge> Edges { get; set; } = [];
    [Id(1)] public Nodes.PackedEdges? Packed { get; set; }
}
