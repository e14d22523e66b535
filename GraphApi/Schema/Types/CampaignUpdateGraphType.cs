using GraphQL.Types;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class CampaignUpdateKindGraphType : EnumerationGraphType<CampaignUpdateKind>
{
    public CampaignUpdateKindGraphType()
    {
        Name = "CampaignUpdateKind";
        Description = "SUBSCRIBED: the current state, first event of a subscription; NEW_MEMBER: an object joined the campaign's cluster; "
            + "NEW_LINK: another campaign became linked; MERGE: another cluster merged with this one; SPLIT: the cluster fell apart "
            + "after an edge was revoked or removed; SEVERITY_CHANGE: the cluster's severity level changed.";
    }
}

public sealed class CampaignUpdateGraphType : ObjectGraphType<CampaignUpdate>
{
    public CampaignUpdateGraphType()
    {
        Name = "CampaignUpdate";
        Description = "What one ingest changed for a campaign's cluster.";
        Field<NonNullGraphType<IdGraphType>>("campaignId").Resolve(c => c.Source.CampaignId);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CampaignUpdateKindGraphType>>>>("kinds").Resolve(c => c.Source.Kinds);
        Field<NonNullGraphType<StringGraphType>>("clusterId").Description("The campaign's cluster now (empty when it has no link yet).")
            .Resolve(c => c.Source.ClusterId);
        Field<NonNullGraphType<IntGraphType>>("clusterSize").Resolve(c => c.Source.ClusterSize);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("linkedCampaignIds").Description("Every other campaign in the cluster now.")
            .Resolve(c => c.Source.LinkedCampaignIds);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("newlyLinkedCampaignIds").Resolve(c => c.Source.NewlyLinkedCampaignIds);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("unlinkedCampaignIds").Description("Campaigns a split separated from this one.")
            .Resolve(c => c.Source.UnlinkedCampaignIds);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("newMemberIds").Description("Objects that joined (at most 20).")
            .Resolve(c => c.Source.NewMemberIds);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("mergedClusterIds").Resolve(c => c.Source.MergedClusterIds);
        Field<NonNullGraphType<StringGraphType>>("severity").Description("The highest NCISS level (BASELINE, LOW, MEDIUM, HIGH, SEVERE, EMERGENCY) of the incidents you may see in the cluster; NONE without any.")
            .Resolve(c => c.Source.Severity);
        Field<NonNullGraphType<StringGraphType>>("at").Description("When the change was applied (RFC 3339).")
            .Resolve(c => c.Source.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class ClusterMergedGraphType : ObjectGraphType<ClusterMerged>
{
    public ClusterMergedGraphType()
    {
        Name = "ClusterMerged";
        Field<NonNullGraphType<StringGraphType>>("clusterId").Description("The surviving (larger) cluster.").Resolve(c => c.Source.WinnerId);
        Field<StringGraphType>("mergedClusterId").Description("The smaller cluster; its id now forwards to clusterId (system callers only: "
            + "members see the merge in their own view of the cluster, README \"Correlation\").")
            .Resolve(c => c.Source.LoserId);
        Field<NonNullGraphType<IntGraphType>>("size").Resolve(c => c.Source.Size);
        Field<NonNullGraphType<IntGraphType>>("mergedSize").Resolve(c => c.Source.LoserSize);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("campaignIds").Resolve(c => c.Source.CampaignIds);
        Field<NonNullGraphType<StringGraphType>>("at")
            .Resolve(c => c.Source.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }
}
