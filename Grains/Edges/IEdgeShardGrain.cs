using ThreatGraph.Contracts.Security;
using Orleans.Concurrency;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Edges;

/// <summary>
/// Part of a large node's adjacency, keyed <c>{nodeId}/{shard}</c> (see <see cref="EdgeSharding"/>). Only its node
/// grain calls it, and it calls nobody: node → shard is one-way, so no cycle of waiting can form.
/// </summary>
[Alias("tg.IEdgeShardGrain")]
public interface IEdgeShardGrain : IGrainWithStringKey
{
    /// <summary>Replaces the edges this shard already holds (by key); reports which it held and its size.</summary>
    [Alias("UpdateExisting")]
    Task<ShardUpdate> UpdateExistingAsync(IReadOnlyList<Edge> edges);

    /// <summary>Adds or replaces the edges (idempotent); returns the shard's size.</summary>
    [Alias("Append")]
    Task<int> AppendAsync(IReadOnlyList<Edge> edges);

    /// <summary>Removes the edges it holds; returns the shard's size.</summary>
    [Alias("Remove")]
    Task<int> RemoveAsync(IReadOnlyList<Edge> edges);

    /// <summary>Replaces the kept <see cref="Edge.PeerAccess"/> of the edges to these peers; returns how many changed.</summary>
    [Alias("UpdatePeerAccess")]
    Task<int> UpdatePeerAccessAsync(IReadOnlyDictionary<string, IReadOnlyList<AccessDescriptor>> peers);

    /// <summary>How many edges this shard holds (whoever asks).</summary>
    [ReadOnly, Alias("Count")]
    Task<int> CountAsync();

    /// <summary>The distinct peer ids of this shard's edges.</summary>
    [ReadOnly, Alias("PeerIds")]
    Task<IReadOnlyList<string>> PeerIdsAsync();

    /// <summary>Filtered page of this shard (same semantics as <see cref="INodeGrain.GetEdgesAsync"/>); Take 0 counts only.</summary>
    [ReadOnly, Alias("Query")]
    Task<EdgePage> QueryAsync(EdgeQuery query);
}

[GenerateSerializer, Immutable, Alias("tg.ShardUpdate")]
public sealed record ShardUpdate([property: Id(0)] IReadOnlyList<string> FoundKeys, [property: Id(1)] int Count);
