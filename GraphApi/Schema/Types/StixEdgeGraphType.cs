using GraphQL.Types;
using ThreatGraph.Contracts.Model;

namespace ThreatGraph.GraphApi.Schema.Types;

/// <summary>An edge seen from one endpoint.</summary>
public sealed class StixEdgeGraphType : ObjectGraphType<Edge>
{
    public StixEdgeGraphType()
    {
        Name = "StixEdge";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The relationship/sighting id, or ref:{source}|{property}|{target} for an embedded ref.")
            .Resolve(c => c.Source.EdgeId);
        Field<NonNullGraphType<StringGraphType>>("kind").Description("relationship_type, or the ref property (created_by_ref, object_refs, sighting_of_ref, pattern-names…).")
            .Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<EdgeDirectionGraphType>>("direction")
            .Resolve(c => c.Source.Direction == EdgeDirection.Out ? EdgeDirectionFilter.Out : EdgeDirectionFilter.In);
        Field<NonNullGraphType<IdGraphType>>("peerId").Resolve(c => c.Source.PeerId);
        Field<StixObjectInterface>("peer").Description("The object at the other end (a placeholder if it has not arrived).")
            .Resolve(c => CommonFields.Loader(c).Load(c.Source.PeerId));
        Field<StixObjectInterface>("relationship").Description("The SRO behind this edge; null for embedded refs.")
            .Resolve(c => c.Source.EdgeId.StartsWith("ref:", StringComparison.Ordinal) ? null : CommonFields.Loader(c).Load(c.Source.EdgeId));
        Field<NonNullGraphType<BooleanGraphType>>("revoked").Resolve(c => c.Source.Revoked);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("markings").Resolve(c => c.Source.Markings);
    }
}
