using Orleans.Concurrency;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// The cluster grain: single writer of the partition of the correlation graph into clusters (connected components
/// over linking edges). Ingest hands it batches of linking-edge changes; it merges clusters by size (the smaller into
/// the larger, the old id forwarding to the new), recomputes a cluster by traversal when one of its edges goes (which
/// may split it), and publishes campaign and merge events on the <see cref="StorageNames.Streams"/> provider.
/// It never calls node grains, so no cycle of waiting can form. Key: <see cref="DefaultKey"/>.
/// </summary>
[Alias("tg.IClusterRegistryGrain")]
public interface IClusterRegistryGrain : IGrainWithStringKey
{
    public const string DefaultKey = "global";

    [Alias("Apply")]
    Task ApplyAsync(CorrelationBatch batch);

    /// <summary>The cluster of each given node (nodes correlation has never seen are left out).</summary>
    [ReadOnly, Alias("GetClusterIds")]
    Task<IReadOnlyDictionary<string, string>> GetClusterIdsAsync(IReadOnlyList<string> nodeIds);

    /// <summary>A cluster by cluster id (merged-away ids forward) or by the id of a member; a page of its members.</summary>
    [ReadOnly, Alias("GetCluster")]
    Task<ClusterView?> GetClusterAsync(string clusterOrNodeId, int skip, int take);

    /// <summary>Why each given node does not link clusters (warninglist or degree cap); nodes that link are left out.</summary>
    [ReadOnly, Alias("GetExclusions")]
    Task<IReadOnlyDictionary<string, string>> GetExclusionsAsync(IReadOnlyList<string> nodeIds);

    /// <summary>Linking edges breadth-first from a node within its cluster, up to depth and node limits (partial when cut).</summary>
    [ReadOnly, Alias("GetLinkSubgraph")]
    Task<LinkSubgraph> GetLinkSubgraphAsync(string nodeId, int maxDepth, int maxNodes);

    /// <summary>Live clusters of at least <paramref name="minSize"/> members, largest first (ids only).</summary>
    [ReadOnly, Alias("ListClusters")]
    Task<IReadOnlyList<string>> ListClustersAsync(int minSize, int take);
}

/// <summary>
/// Alias ids of observables: an SCO sent with a random (or non-normalised) id maps to the canonical node (the
/// deterministic id of its normalised id-contributing properties). One grain, key <see cref="DefaultKey"/>.
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

    /// <summary>A shortest path by hops between two nodes over the given edge kinds (all kinds when null).</summary>
    /// <summary>The cluster of a node as the caller (RequestContext) sees it: the component among visible links only,
    /// so an invisible bridge neither links nor counts.</summary>
    [Alias("Cluster")]
    Task<ClusterView?> ClusterAsync(string nodeId, int maxNodes);

    [Alias("ShortestPath")]
    Task<PathResult> ShortestPathAsync(string fromId, string toId, int maxDepth, IReadOnlyList<string>? edgeKinds, int maxNodes);
}
