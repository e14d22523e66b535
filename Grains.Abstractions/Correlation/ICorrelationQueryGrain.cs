using Orleans.Concurrency;

namespace ThreatGraph.Contracts.Correlation;

/// <summary>
/// Alias ids of observables: an SCO sent with a random (or non-normalised) id maps to the canonical node (the
/// deterministic id of its normalised id-contributing properties). A stateless worker (key <see cref="DefaultKey"/>)
/// in front of hash partitions by alias id (<c>Index:Partitions</c>): each call costs one call per partition it touches.
/// </summary>
[Alias("tg.IAliasRegistryGrain")]
public interface IAliasRegistryGrain : IGrainWithStringKey
{
    public const string DefaultKey = "observables";

    [Alias("Register")]
    Task RegisterAsync(IReadOnlyDictionary<string, string> aliasToCanonical);

    /// <summary>The canonical id of each given id that is an alias (others left out).</summary>
    [ReadOnly, Alias("Resolve")]
    Task<IReadOnlyDictionary<string, string>> ResolveAsync(IReadOnlyList<string> ids);
}

/// <summary>Correlation reads that compute on a fetched subgraph with QuikGraph (stateless worker).</summary>
[Alias("tg.ICorrelationQueryGrain")]
public interface ICorrelationQueryGrain : IGrainWithIntegerKey
{
    /// <summary>Campaigns linked to a campaign, each with its strongest evidence path and its strength.</summary>
    [Alias("LinkedCampaigns")]
    Task<LinkedCampaigns> LinkedCampaignsAsync(string campaignId, int maxDepth, int maxNodes, int first);

    /// <summary>The cluster of a node as the caller (RequestContext) sees it: the component among visible links only,
    /// so an invisible bridge neither links nor counts.</summary>
    [Alias("Cluster")]
    Task<ClusterView?> ClusterAsync(string nodeId, int maxNodes);

    /// <summary>A shortest path by hops between two nodes over the given edge kinds (all kinds when null).</summary>
    [Alias("ShortestPath")]
    Task<PathResult> ShortestPathAsync(string fromId, string toId, int maxDepth, IReadOnlyList<string>? edgeKinds, int maxNodes);
}
