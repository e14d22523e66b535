using ThreatGraph.Grains.Model;

namespace ThreatGraph.Grains.Edges;

/// <summary>Persisted state of an edge shard: at most about <see cref="Nodes.EdgeSharding.ShardCapacity"/> edges, in arrival order.</summary>
[GenerateSerializer, Alias("tg.EdgeShardState")]
public sealed class EdgeShardState
{
    [Id(0)] public List<Edge> Edges { get; set; } = [];
}
