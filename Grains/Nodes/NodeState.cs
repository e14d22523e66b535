using ThreatGraph.Grains.Model;
using ThreatGraph.Grains.Security;

namespace ThreatGraph.Grains.Nodes;

/// <summary>Persisted state of a node grain.</summary>
[GenerateSerializer, Alias("tg.NodeState")]
public sealed class NodeState
{
    /// <summary>Every version received, oldest first; the last is current. Empty for a placeholder.</summary>
    [Id(0)] public List<string> Versions { get; set; } = [];
    [Id(1)] public DateTimeOffset? VersionStamp { get; set; }
    [Id(2)] public bool Revoked { get; set; }
    [Id(3)] public List<string> Markings { get; set; } = [];
    /// <summary>Inline adjacency, keyed by <see cref="Edge.Key"/>: at most <see cref="EdgeSharding.InlineLimit"/> entries
    /// (plus the object's own out-edges); the rest is in edge shards.</summary>
    [Id(4)] public Dictionary<string, Edge> Edges { get; set; } = [];
    /// <summary>Keys of the out-edges this object itself declares (so a new version can retract old ones).</summary>
    [Id(5)] public HashSet<string> OwnEdgeKeys { get; set; } = [];
    /// <summary>Who reported the object and who may see it (the first reporter owns an SDO/SRO).</summary>
    [Id(6)] public AccessDescriptor? Access { get; set; }
    /// <summary>Observables only: every report of this value (by organisation/member/TLP); visible if any is.</summary>
    [Id(7)] public List<AccessDescriptor> Contributors { get; set; } = [];
    /// <summary>Size of each edge shard <c>{nodeId}/{i}</c>, as the shard last reported it; empty until the node spills.</summary>
    [Id(8)] public List<int> ShardCounts { get; set; } = [];
    /// <summary>When the first version arrived at this deployment (provenance: "when it arrived").</summary>
    [Id(9)] public DateTimeOffset? FirstSeen { get; set; }
}
