using GraphQL.Types;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.GraphApi.Schema.Types;

/// <summary>The result of <c>linkedCampaigns</c>.</summary>
public sealed class LinkedCampaignsGraphType : ObjectGraphType<LinkedCampaigns>
{
    public LinkedCampaignsGraphType()
    {
        Name = "LinkedCampaigns";
        Field<StixObjectInterface>("campaign").Resolve(c => CommonFields.Loader(c).Load(c.Source.CampaignId));
        Field<StringGraphType>("clusterId").Description("The campaign's cluster (null when it has no link).").Resolve(c => c.Source.ClusterId);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LinkedCampaignGraphType>>>>("links")
            .Description("Linked campaigns, strongest first.").Resolve(c => c.Source.Links);
        Field<NonNullGraphType<BooleanGraphType>>("partial").Description("True when a depth or node limit cut the search short.")
            .Resolve(c => c.Source.Partial);
        Field<StringGraphType>("partialReason").Resolve(c => c.Source.PartialReason);
    }
}

public sealed class LinkedCampaignGraphType : ObjectGraphType<CampaignLink>
{
    public LinkedCampaignGraphType()
    {
        Name = "LinkedCampaign";
        Field<NonNullGraphType<IdGraphType>>("campaignId").Resolve(c => c.Source.CampaignId);
        Field<StixObjectInterface>("campaign").Resolve(c => CommonFields.Loader(c).Load(c.Source.CampaignId));
        Field<NonNullGraphType<FloatGraphType>>("strength")
            .Description("Product of the weights of the evidence path's edges (1 = every hop is the strongest kind of link).")
            .Resolve(c => c.Source.Strength);
        Field<NonNullGraphType<IntGraphType>>("hops").Resolve(c => c.Source.PathEdges.Count);
        Field<NonNullGraphType<EvidencePathGraphType>>("path").Description("The chain of objects and edges that links the two campaigns.")
            .Resolve(c => new PathResult(true, c.Source.PathNodes, c.Source.PathEdges, false, null));
    }
}

/// <summary>A chain of objects and the edges between them.</summary>
public sealed class EvidencePathGraphType : ObjectGraphType<PathResult>
{
    public EvidencePathGraphType()
    {
        Name = "EvidencePath";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PathNodeGraphType>>>>("nodes")
            .Resolve(c => c.Source.Nodes.Select((id, i) => new PathNode(id, i)).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<GraphEdgeGraphType>>>>("edges").Resolve(c => c.Source.Edges);
    }
}

public sealed record PathNode(string Id, int Position);

public sealed class PathNodeGraphType : ObjectGraphType<PathNode>
{
    public PathNodeGraphType()
    {
        Name = "PathNode";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IntGraphType>>("position").Description("0 at the start of the path.").Resolve(c => c.Source.Position);
        Field<StixObjectInterface>("object").Resolve(c => CommonFields.Loader(c).Load(c.Source.Id));
    }
}

/// <summary>The result of <c>shortestPath</c>.</summary>
public sealed class PathGraphType : ObjectGraphType<PathResult>
{
    public PathGraphType()
    {
        Name = "Path";
        Field<NonNullGraphType<BooleanGraphType>>("found").Resolve(c => c.Source.Found);
        Field<NonNullGraphType<IntGraphType>>("length").Description("Hops (0 when not found or from = to).").Resolve(c => c.Source.Edges.Count);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PathNodeGraphType>>>>("nodes")
            .Resolve(c => c.Source.Nodes.Select((id, i) => new PathNode(id, i)).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<GraphEdgeGraphType>>>>("edges").Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<BooleanGraphType>>("partial").Description("True when a limit stopped the search before it was exhausted.")
            .Resolve(c => c.Source.Partial);
        Field<StringGraphType>("partialReason").Resolve(c => c.Source.PartialReason);
    }
}
