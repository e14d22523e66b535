using ThreatGraph.Contracts.Model;

namespace ThreatGraph.Contracts.Traversal;

/// <param name="IncludeEdges">False when only the nodes and their distances are wanted (GraphQL without `edges`):
/// the answer then carries no edges, which for a 2-hop neighbourhood of thousands of nodes is most of its bytes.</param>
[GenerateSerializer, Immutable, Alias("tg.NeighborhoodRequest")]
public sealed record NeighborhoodRequest(
    [property: Id(0)] string CenterId,
    [property: Id(1)] int Depth,
    [property: Id(2)] IReadOnlyList<string>? EdgeKinds,
    [property: Id(3)] int MaxNodes,
    [property: Id(4)] bool IncludeEdges = true);

/// <summary>A directed edge of a fetched subgraph.</summary>
/// <param name="Access">Who may see the report that declares it (correlation links carry it; null: not known here).</param>
[GenerateSerializer, Immutable, Alias("tg.SubgraphEdge")]
public sealed record SubgraphEdge(
    [property: Id(0)] string EdgeId,
    [property: Id(1)] string Kind,
    [property: Id(2)] string SourceId,
    [property: Id(3)] string TargetId,
    [property: Id(4)] Security.AccessDescriptor? Access = null);

/// <summary>Nodes with their hop distance from the center, the edges among them, and whether a limit cut it short.</summary>
[GenerateSerializer, Immutable, Alias("tg.Subgraph")]
public sealed record Subgraph(
    [property: Id(0)] IReadOnlyDictionary<string, int> Distances,
    [property: Id(1)] IReadOnlyList<SubgraphEdge> Edges,
    [property: Id(2)] bool Partial,
    [property: Id(3)] string? PartialReason);

/// <summary>
/// Stateless traversal: expands the frontier level by level with batched, bounded grain reads, then computes on
/// the fetched subgraph with QuikGraph. Never holds a node grain waiting on another.
/// </summary>
[Alias("tg.ITraversalGrain")]
public interface ITraversalGrain : IGrainWithIntegerKey
{
    [Alias("Neighborhood")]
    Task<Subgraph> NeighborhoodAsync(NeighborhoodRequest request);

    /// <summary>Many nodes' views (null where unknown or hidden from the caller), in order, with one call per silo.</summary>
    [Alias("GetViews")]
    Task<IReadOnlyList<Model.NodeView?>> GetViewsAsync(IReadOnlyList<string> ids);

    /// <summary>A node's edges that the caller may see — the edge and the peer — filtered, counted and paged.</summary>
    [Alias("ReadEdges")]
    Task<Nodes.EdgePage> ReadEdgesAsync(string nodeId, Nodes.EdgeQuery query);
}
