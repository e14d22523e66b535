using Orleans.Concurrency;
using ThreatGraph.Contracts.Model;

namespace ThreatGraph.Contracts.Nodes;

/// <summary>
/// A node of the graph: one STIX object, keyed by its STIX id. Node grains never call other node grains
/// (no cycles of waiting): whatever touches two nodes is driven from outside (ingest, traversal workers).
/// Get one with <see cref="NodeGrains.GetNode"/>, which picks the typed grain for the id's type.
/// Reads answer for the caller in <see cref="Security.CallerContext"/>: an object the caller may not see reads as
/// unknown, and only edges whose declaring object the caller may see are listed (peers are checked by
/// <see cref="Traversal.ITraversalGrain.ReadEdgesAsync"/>, the edge read to use).
/// </summary>
[Alias("tg.INodeGrain")]
public interface INodeGrain : IGrainWithStringKey
{
    /// <summary>Apply a version: newer replaces, older or equal is Unchanged (STIX versioning).</summary>
    [Alias("Upsert")]
    Task<UpsertResult> UpsertAsync(StixObjectVersion version);

    /// <summary>Add or replace adjacency entries declared by other objects (the mirror side). Idempotent. Returns who may
    /// see this node now (<see cref="Security.AccessSummary"/>), so that the declarer's copy can be checked.</summary>
    [Alias("AddEdges")]
    Task<IReadOnlyList<Security.AccessDescriptor>> AddEdgesAsync(IReadOnlyList<Edge> edges);

    [Alias("RemoveEdges")]
    Task RemoveEdgesAsync(IReadOnlyList<Edge> edges);

    [ReadOnly, Alias("GetView")]
    Task<NodeView?> GetViewAsync();

    /// <summary>The cluster this node was last pointed at, and why it does not link (warninglist, degree cap), if it does not.</summary>
    [ReadOnly, Alias("GetCorrelation")]
    Task<Correlation.NodeCorrelation> GetCorrelationAsync();

    /// <summary>Points this node at a cluster (null: none) when it still points at <paramref name="expected"/>; returns
    /// where it points afterwards (so a writer that lost a race learns the winner).</summary>
    [Alias("SetCluster")]
    Task<string?> SetClusterAsync(string? expected, string? clusterId);

    /// <summary>Points this node at a cluster whatever it pointed at: a cluster that cuts a part off into a new cluster
    /// points the part's members there (they are its members, so no other writer can be claiming them).</summary>
    [Alias("PointAt")]
    Task PointAtAsync(string clusterId);

    /// <summary>Records the warninglist entry that keeps this observable from linking (null: none).</summary>
    [Alias("SetWarninglist")]
    Task SetWarninglistAsync(string? reason);

    /// <summary>Who may see this node (<see cref="Security.AccessSummary"/>), for edges that point at it.</summary>
    [ReadOnly, Alias("GetAccessSummary")]
    Task<IReadOnlyList<Security.AccessDescriptor>> GetAccessSummaryAsync();

    /// <summary>Peers' reports changed who may see them: updates the copies kept on the edges to them (and, for a
    /// relationship or sighting, on its endpoints). Returns this node's index entry when that changed who may see it
    /// in the index (a relationship whose endpoint became hidden), else null.</summary>
    [Alias("PeerAccessChanged")]
    Task<Index.IndexEntry?> PeerAccessChangedAsync(IReadOnlyDictionary<string, IReadOnlyList<Security.AccessDescriptor>> peers);

    /// <summary>Whether the caller may see this node (a placeholder: whether it may see an edge to it).</summary>
    [ReadOnly, Alias("IsVisible")]
    Task<bool> IsVisibleAsync();

    /// <summary>A page of adjacency entries, filtered by direction and kinds; revoked edges only when asked.</summary>
    [ReadOnly, Alias("GetEdges")]
    Task<EdgePage> GetEdgesAsync(EdgeQuery query);

    /// <summary>Every stored version, oldest first (history survives revocation and replacement).</summary>
    [ReadOnly, Alias("GetVersions")]
    Task<IReadOnlyList<string>> GetVersionsAsync();

    /// <summary>Every stored version with the caller's view of who reported it; null when the caller may not see it.</summary>
    [ReadOnly, Alias("GetRecord")]
    Task<NodeRecord?> GetRecordAsync();
}

/// <summary>Which adjacency entries to return.</summary>
/// <param name="ExactCount">False when the reader needs only to know whether more match than it took (a traversal's
/// partial flag): the count may then stop one past the window, so a supernode's other shards are not read to the end.</param>
[GenerateSerializer, Immutable, Alias("tg.EdgeQuery")]
public sealed record EdgeQuery(
    [property: Id(0)] EdgeDirection? Direction = null,
    [property: Id(1)] IReadOnlyList<string>? Kinds = null,
    [property: Id(2)] bool IncludeRevoked = false,
    [property: Id(3)] int Skip = 0,
    [property: Id(4)] int Take = int.MaxValue,
    [property: Id(5)] bool ExactCount = true)
{
    public static readonly EdgeQuery All = new();
}

/// <summary>The requested slice of a node's edges and how many match in all.</summary>
/// <param name="PeerAccessKept">Every matching edge keeps its peer's access, so the node filtered peers too and the count
/// is the caller's; false when some edge was written before that was kept (the traversal worker asks those peers).</param>
[GenerateSerializer, Immutable, Alias("tg.EdgePage")]
public sealed record EdgePage([property: Id(0)] IReadOnlyList<Edge> Items, [property: Id(1)] int TotalCount, [property: Id(2)] bool PeerAccessKept = true);
