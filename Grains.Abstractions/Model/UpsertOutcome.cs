namespace ThreatGraph.Contracts.Model;

public enum UpsertOutcome { Created, Updated, Unchanged, Rejected }

/// <summary>
/// Result of applying one object version to its node. The node changed its own out-edges; the caller (ingest)
/// mirrors <see cref="AddedEdges"/> and <see cref="RemovedEdges"/> onto the peers, because nodes never call nodes.
/// <see cref="Stored"/>: the version sent is one the node holds (always after Created/Updated; after Unchanged when it
/// re-sends a stored version rather than an older one), so the TAXII log may list it.
/// <see cref="Index"/>: what the node holds, for the search index (never what the request claimed): null when rejected.
/// <see cref="Summary"/>: who may see the node now (<see cref="Security.AccessSummary"/>). <see cref="Fanout"/>: when
/// that changed, every node that keeps it (peers of its edges, relationships naming it), to be told; null otherwise.
/// </summary>
[GenerateSerializer, Immutable, Alias("tg.UpsertResult")]
public sealed record UpsertResult(
    [property: Id(0)] UpsertOutcome Outcome,
    [property: Id(1)] IReadOnlyList<Edge> AddedEdges,
    [property: Id(2)] IReadOnlyList<Edge> RemovedEdges,
    [property: Id(3)] string? Reason = null,
    [property: Id(4)] bool Stored = false,
    [property: Id(5)] Index.IndexEntry? Index = null,
    [property: Id(6)] IReadOnlyList<Security.AccessDescriptor>? Summary = null,
    [property: Id(7)] IReadOnlyList<string>? Fanout = null);
