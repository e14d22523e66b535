using GraphQL.Types;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.GraphApi.Schema.Types;

/// <summary>The result of <c>neighborhood</c>.</summary>
public sealed record NeighborhoodResult(string CenterId, Subgraph Subgraph);

public sealed class NeighborhoodGraphType : ObjectGraphType<NeighborhoodResult>
{
    public NeighborhoodGraphType()
    {
        Name = "Neighborhood";
        Field<StixObjectInterface>("center").Resolve(c => CommonFields.Loader(c).Load(c.Source.CenterId));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<NeighborGraphType>>>>("nodes")
            .Description("Every node reached, the center included (distance 0).")
            .Resolve(c => c.Source.Subgraph.Distances.OrderBy(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<GraphEdgeGraphType>>>>("edges").Resolve(c => c.Source.Subgraph.Edges);
        Field<NonNullGraphType<BooleanGraphType>>("partial").Description("True when a limit stopped the traversal early.")
            .Resolve(c => c.Source.Subgraph.Partial);
        Field<StringGraphType>("partialReason").Resolve(c => c.Source.Subgraph.PartialReason);
    }
}

public sealed class NeighborGraphType : ObjectGraphType<KeyValuePair<string, int>>
{
    public NeighborGraphType()
    {
        Name = "Neighbor";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<IntGraphType>>("distance").Description("Hops from the center.").Resolve(c => c.Source.Value);
        Field<StixObjectInterface>("object").Resolve(c => CommonFields.Loader(c).Load(c.Source.Key));
    }
}

public sealed class GraphEdgeGraphType : ObjectGraphType<SubgraphEdge>
{
    public GraphEdgeGraphType()
    {
        Name = "GraphEdge";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.EdgeId);
        Field<NonNullGraphType<StringGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<IdGraphType>>("sourceId").Resolve(c => c.Source.SourceId);
        Field<NonNullGraphType<IdGraphType>>("targetId").Resolve(c => c.Source.TargetId);
    }
}
