using ThreatGraph.Contracts.Security;

namespace ThreatGraph.Contracts.Model;

public enum EdgeDirection { Out, In }

/// <summary>
/// One adjacency entry as a node sees it. Every edge is stored twice, once on each endpoint, with mirrored
/// directions, so either end can list it without asking the other.
/// </summary>
/// <param name="EdgeId">The SRO id (relationship/sighting) or, for an embedded ref, <c>ref:{source}|{property}|{target}</c>
/// (with <c>|{organisation}</c> appended when an observable declares it: each report of it has its own refs).</param>
/// <param name="Kind">relationship_type (e.g. <c>uses</c>) or the ref property (e.g. <c>created_by_ref</c>).</param>
/// <param name="PeerId">The STIX id at the other end.</param>
/// <param name="Direction">Out when this node is the source.</param>
/// <param name="Markings">object_marking_refs of the object that declared the edge (the SRO, or the referencing object).</param>
/// <param name="Revoked">The declaring SRO is revoked: hidden from default reads, kept for history.</param>
/// <param name="Access">Access of the object that declared the edge; an edge is visible only when this and both
/// endpoints are (null: visible to the system only).</param>
/// <param name="PeerAccess">Who may see the peer (<see cref="AccessSummary"/>), mirrored onto the edge at ingest and
/// kept current when the peer's reports change, so that a read decides the peer's visibility without asking it
/// (null: not known — written before this was kept; the reader asks the peer).</param>
[GenerateSerializer, Immutable, Alias("tg.Edge")]
public sealed record Edge(
    [property: Id(0)] string EdgeId,
    [property: Id(1)] string Kind,
    [property: Id(2)] string PeerId,
    [property: Id(3)] EdgeDirection Direction,
    [property: Id(4)] IReadOnlyList<string> Markings,
    [property: Id(5)] bool Revoked = false,
    [property: Id(6)] AccessDescriptor? Access = null,
    [property: Id(7)] IReadOnlyList<AccessDescriptor>? PeerAccess = null)
{
    /// <summary>Identity of the adjacency entry: the same edge seen again replaces, never duplicates.</summary>
    public string Key => $"{EdgeId}|{Direction}|{PeerId}";

    public Edge Mirror(string selfId) => this with { PeerId = selfId, Direction = Direction == EdgeDirection.Out ? EdgeDirection.In : EdgeDirection.Out };

    /// <summary>The id of an embedded-ref edge. <paramref name="reporter"/>: for an observable, the organisation whose
    /// report declares it (each organisation's report of a shared observable has its own refs).</summary>
    public static string RefEdgeId(string sourceId, string property, string targetId, string? reporter = null) =>
        Stix.Edges.DeclaredEdges.RefId(sourceId, property, targetId, reporter);
}
