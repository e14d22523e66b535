using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Nodes;

/// <summary>
/// How a node's adjacency is split. The first <see cref="InlineLimit"/> edges live in the node's own state (a point
/// read never loads more); once that is full, further edges are appended to edge-shard grains
/// <c>{nodeId}/0</c>, <c>{nodeId}/1</c>, … of at most <see cref="ShardCapacity"/> edges each. The edges an object
/// declares itself always stay inline (a new version must be able to retract them without asking the shards).
/// </summary>
public static class EdgeSharding
{
    /// <summary>Kept small: a node's inline edges are rewritten with every change of the node.</summary>
    public const int InlineLimit = 250;

    /// <summary>A shard's edges are rewritten with every append to it.</summary>
    public const int ShardCapacity = 2000;

    public static string ShardKey(string nodeId, int shard) => $"{nodeId}/{shard}";

    /// <summary>The node a shard key belongs to.</summary>
    public static string NodeOf(string shardKey) => shardKey[..shardKey.LastIndexOf('/')];
}
