namespace ThreatGraph.Stix.Edges;

/// <summary>An edge a STIX object declares, from <paramref name="SourceId"/> to <paramref name="TargetId"/> (the graph
/// stores it out of the source and into the target).</summary>
/// <param name="Id">Stable across re-ingests: the same declaration gets the same id (<see cref="DeclaredEdges.RefId"/>,
/// or the relationship's own id).</param>
/// <param name="Kind">The ref property (<c>created_by_ref</c>, <c>object_refs</c>…), <see cref="DeclaredEdges.PatternNames"/>,
/// <see cref="DeclaredEdges.AliasOf"/>, or a relationship's <c>relationship_type</c>.</param>
public sealed record DeclaredEdge(string Id, string Kind, string SourceId, string TargetId);
