using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Edges;

namespace ThreatGraph.Grains.Ingest;

/// <summary>The edges a STIX object declares (<see cref="DeclaredEdges"/>) as the graph stores them: out of their
/// source, with the object's markings and access.</summary>
public static class EdgeBuilder
{
    /// <summary>Out-edges the object itself owns: embedded refs and, for indicators, the observables its pattern names.</summary>
    /// <param name="aliases">Observable alias ids → canonical ids: a ref to an alias becomes an edge to the canonical node.</param>
    public static IReadOnlyList<Edge> OwnEdges(StixObject obj, IReadOnlyList<string> markings, AccessDescriptor access,
        IReadOnlyDictionary<string, string>? aliases = null) =>
        [.. DeclaredEdges.Own(obj, access.OwnerOrg, aliases).Select(d => new Edge(d.Id, d.Kind, d.TargetId, EdgeDirection.Out, markings, Access: access))];

    /// <summary>The edge a relationship SRO stands for, as seen from its source (Out). Null when it is not a relationship.</summary>
    public static (string SourceId, Edge Edge)? RelationshipEdge(StixObject obj, IReadOnlyList<string> markings,
        AccessDescriptor access, IReadOnlyDictionary<string, string>? aliases = null) =>
        DeclaredEdges.Relationship(obj, aliases) is { } d
            ? (d.SourceId, new Edge(d.Id, d.Kind, d.TargetId, EdgeDirection.Out, markings, obj.Revoked, access))
            : null;
}
