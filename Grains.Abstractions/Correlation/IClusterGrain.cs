using Orleans.Concurrency;

namespace ThreatGraph.Contracts.Correlation;

/// <summary>
/// One cluster (a connected component over linking edges), keyed by its id (<c>cluster--{uuid}</c>): the single writer
/// of its links and so of its membership. Ingest's correlation writer (<see cref="ICorrelationGrain"/>) groups each
/// batch's new links by the clusters they touch and asks ONE cluster per group — the largest — to take the links and
/// absorb the others, which it first seals (they forward to it from then on). A removed link is checked by the cluster
/// that holds it, which may cut off parts into new clusters. Merges need no global lock: a cluster is sealed at most
/// once, and every command sent to a sealed cluster is answered with where it forwards to.
/// Calls go writer → cluster → (new clusters, node pointers, streams); a cluster never calls the writer nor a cluster
/// that could call it back, so no cycle of waiting can form.
/// </summary>
[Alias("tg.IClusterGrain")]
public interface IClusterGrain : IGrainWithStringKey
{
    [Alias("Apply")]
    Task<ClusterAnswer> ApplyAsync(ClusterCommand command);

    /// <summary>A writer about to make this cluster absorb others reserves it (for a few seconds, or until
    /// <see cref="UnreserveAsync"/>): meanwhile no other writer may seal it nor remove anything from it (so it cannot
    /// split under the writer), and two writers can never seal two clusters into each other. False when it is sealed,
    /// reserved by another writer, or no longer holds every node of <paramref name="members"/> (the writer's view is stale).</summary>
    [Alias("Reserve")]
    Task<bool> ReserveAsync(string token, IReadOnlyList<string> members);

    [Alias("Unreserve")]
    Task UnreserveAsync(string token);

    /// <summary>Seals this cluster into <paramref name="into"/>: from now on it forwards there. Returns its links (kept
    /// until <see cref="ReleaseAsync"/>, so a crash before the absorb loses nothing), where it already forwards to, or
    /// that it is busy (reserved by a writer) or no longer holds every node of <paramref name="members"/> (the writer's
    /// view is stale): then nothing changed.</summary>
    [Alias("Seal")]
    Task<SealAnswer> SealAsync(string into, IReadOnlyList<string> members);

    /// <summary>Drops the links of a sealed cluster once the cluster it forwards to has absorbed them.</summary>
    [Alias("Release")]
    Task ReleaseAsync();

    /// <summary>Where each node is, as far as this cluster knows: here, forwarded (this cluster was merged away), or not here.</summary>
    [ReadOnly, Alias("Locate")]
    Task<IReadOnlyDictionary<string, NodePlace>> LocateAsync(IReadOnlyList<string> nodeIds);

    [ReadOnly, Alias("Size")]
    Task<int> SizeAsync();

    /// <summary>The cluster (system view) with a page of its members; null once sealed.</summary>
    [ReadOnly, Alias("GetView")]
    Task<ClusterView?> GetViewAsync(int skip, int take);

    /// <summary>Incidents changed their severity (a new version, an analyst's override): when any is a member, every
    /// campaign here is told (<see cref="CampaignUpdateKind.SeverityChange"/>); each subscriber's view decides whether
    /// its rollup moved. A sealed cluster ignores it (the writer asks the live cluster).</summary>
    [Alias("SeverityChanged")]
    Task SeverityChangedAsync(IReadOnlyList<string> incidentIds);

    /// <summary>Linking edges breadth-first from a member within this cluster, up to depth and node limits.</summary>
    [ReadOnly, Alias("GetLinkSubgraph")]
    Task<LinkSubgraph> GetLinkSubgraphAsync(string nodeId, int maxDepth, int maxNodes);
}

/// <summary>What the writer asks of a cluster: links to add (their ends are members or join now), links to remove, nodes
/// that stop linking (excluded), and sealed clusters to absorb (with their links).</summary>
/// <param name="Expected">For nodes that may join: the cluster the writer saw them point at (null: none). The cluster
/// claims a joining node by pointing it at itself only if it still points there, so a node never joins two clusters.</param>
/// <param name="Tombstone">Link keys removed before this cluster holds them (it is about to absorb the cluster that does):
/// an absorb that still carries them leaves them out.</param>
/// <param name="Token">The reservation of the writer sending it (<see cref="IClusterGrain.ReserveAsync"/>).</param>
[GenerateSerializer, Immutable, Alias("tg.ClusterCommand")]
public sealed record ClusterCommand(
    [property: Id(0)] IReadOnlyList<LinkChange> Add,
    [property: Id(1)] IReadOnlyList<LinkChange> Remove,
    [property: Id(2)] IReadOnlyList<string> Exclude,
    [property: Id(3)] IReadOnlyList<SealedCluster> Absorb,
    [property: Id(4)] IReadOnlyDictionary<string, string?>? Expected = null,
    [property: Id(5)] IReadOnlyList<string>? Tombstone = null,
    [property: Id(6)] string? Token = null);

/// <summary>A sealed cluster's links, for the cluster that absorbs it, with the removals it remembers (they go on with the
/// absorbing cluster).</summary>
[GenerateSerializer, Immutable, Alias("tg.SealedCluster")]
public sealed record SealedCluster(
    [property: Id(0)] string Id,
    [property: Id(1)] IReadOnlyDictionary<string, ClusterLink> Links,
    [property: Id(3)] IReadOnlyDictionary<string, DateTimeOffset>? Tombstones = null);

/// <param name="ForwardedTo">This cluster was merged away: nothing was applied, send it there.</param>
/// <param name="Moved">Joining nodes another writer claimed meanwhile (node → its cluster): nothing was applied; the writer
/// merges those clusters in and asks again.</param>
/// <param name="Joined">Nodes that became members with this command (already pointed at this cluster).</param>
/// <param name="Absent">Removed links and excluded nodes this cluster does not hold (the rest was applied): the writer
/// looks again where they are.</param>
/// <param name="Busy">Removals sent while another writer holds a reservation: nothing was applied; try again shortly.</param>
[GenerateSerializer, Immutable, Alias("tg.ClusterAnswer")]
public sealed record ClusterAnswer(
    [property: Id(0)] string? ForwardedTo,
    [property: Id(1)] IReadOnlyDictionary<string, string> Moved,
    [property: Id(2)] IReadOnlyList<string> Joined,
    [property: Id(3)] int Size,
    [property: Id(4)] IReadOnlyList<string>? Absent = null,
    [property: Id(5)] bool Busy = false)
{
    public static ClusterAnswer Forward(string to) => new(to, new Dictionary<string, string>(), [], 0);
}

[GenerateSerializer, Immutable, Alias("tg.SealAnswer")]
public sealed record SealAnswer(
    [property: Id(0)] string? ForwardedTo,
    [property: Id(1)] SealedCluster? Content,
    [property: Id(2)] bool Busy = false,
    [property: Id(3)] bool Changed = false);

public enum NodePlaceKind { Here, Forwarded, NotHere }

/// <summary>Where a node is, as a cluster answers it (<see cref="IClusterGrain.LocateAsync"/>).</summary>
/// <param name="InTransit">Forwarded by a cluster that still holds the node because the one it forwards to has not
/// absorbed it yet: the node belongs there, even if that cluster does not hold it for a moment.</param>
[GenerateSerializer, Immutable, Alias("tg.NodePlace")]
public sealed record NodePlace([property: Id(0)] NodePlaceKind Kind, [property: Id(1)] string? Cluster = null, [property: Id(2)] bool InTransit = false);

/// <summary>A node's correlation facts, kept by its node grain: the cluster it was last pointed at (merges do not
/// rewrite it: the merged-away cluster forwards) and why it does not link, if it does not.</summary>
[GenerateSerializer, Immutable, Alias("tg.NodeCorrelation")]
public sealed record NodeCorrelation(
    [property: Id(0)] string? ClusterId,
    [property: Id(1)] string? Exclusion);

/// <summary>
/// Correlation for the rest of the system (stateless worker, any silo): the writer that ingest hands each batch of
/// linking-edge changes to (it coordinates cluster grains and node pointers; no grain sees every ingest), and the
/// reads that find a node's cluster.
/// </summary>
[Alias("tg.ICorrelationGrain")]
public interface ICorrelationGrain : IGrainWithIntegerKey
{
    [Alias("Apply")]
    Task ApplyAsync(CorrelationBatch batch);

    /// <summary>Incidents changed their severity (new version, analyst override): their live clusters tell their
    /// campaigns' subscribers (<see cref="IClusterGrain.SeverityChangedAsync"/>). Best effort, like every notification.</summary>
    [Alias("SeverityChanged")]
    Task SeverityChangedAsync(IReadOnlyList<string> incidentIds);

    /// <summary>The live cluster of each given node (nodes in no cluster are left out).</summary>
    [Alias("GetClusterIds")]
    Task<IReadOnlyDictionary<string, string>> GetClusterIdsAsync(IReadOnlyList<string> nodeIds);

    /// <summary>A cluster by cluster id (merged-away ids forward) or by the id of a member; a page of its members.</summary>
    [Alias("GetCluster")]
    Task<ClusterView?> GetClusterAsync(string clusterOrNodeId, int skip, int take);

    /// <summary>Why each given node does not link clusters (warninglist or degree cap); nodes that link are left out.</summary>
    [Alias("GetExclusions")]
    Task<IReadOnlyDictionary<string, string>> GetExclusionsAsync(IReadOnlyList<string> nodeIds);

    /// <summary>Linking edges breadth-first from a node within its cluster, up to depth and node limits (partial when cut).</summary>
    [Alias("GetLinkSubgraph")]
    Task<LinkSubgraph> GetLinkSubgraphAsync(string nodeId, int maxDepth, int maxNodes);
}
