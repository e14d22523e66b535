using GraphQL.Types;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.GraphApi.Schema.Types;

/// <summary>The result of <c>neighborhood</c>.</summary>
public sealed record NeighborhoodResult(string CenterId, Subgraph Subgraph)
{
    /// <summary>Every node by distance, then id. Sorted in place in one array of these: a 5,000-node answer sorted with
    /// LINQ (key arrays, a copy, a list, a boxed pair per item) allocated a fifth of what the request did.</summary>
    public Neighbor[] Nodes()
    {
        var nodes = new Neighbor[Subgraph.Distances.Count];
        var i = 0;
        foreach (var (id, distance) in Subgraph.Distances)
        {
            nodes[i++] = new Neighbor(id, distance);
        }
        Array.Sort(nodes, static (a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : string.CompareOrdinal(a.Id, b.Id));
        return nodes;
    }
}

/// <summary>One node of a neighbourhood and its hops from the center.</summary>
public sealed record Neighbor(string Id, int Distance);

public sealed class NeighborhoodGraphType : ObjectGraphType<NeighborhoodResult>
{
    public NeighborhoodGraphType()
    {
        Name = "Neighborhood";
        Field<StixObjectInterface>("center").Resolve(c => CommonFields.Loader(c).Load(c.Source.CenterId));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<NeighborGraphType>>>>("nodes")
            .Description("Every node reached, the center included (distance 0).")
            .Resolve(c => c.Source.Nodes());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<GraphEdgeGraphType>>>>("edges").Resolve(c => c.Source.Subgraph.Edges);
        Field<NonNullGraphType<BooleanGraphType>>("partial").Description("True when a limit stopped the traversal early.")
            .Resolve(c => c.Source.Subgraph.Partial);
        Field<StringGraphType>("partialReason").Resolve(c => c.Source.Subgraph.PartialReason);
    }
}

public sealed class NeighborGraphType : ObjectGraphType<Neighbor>
{
    public NeighborGraphType()
    {
        Name = "Neighbor";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IntGraphType>>("distance").Description("Hops from the center.").Resolve(c => c.Source.Distance);
        Field<StixObjectInterface>("object").Resolve(c => CommonFields.Loader(c).Load(c.Source.Id));
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
