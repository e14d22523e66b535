using GraphQL.Types;

namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class CampaignGraphType : StixObjectGraphType
{
    public CampaignGraphType() : base("Campaign", "campaign: a grouping of adversarial behaviour over a period against a set of targets.", OfTypes("campaign"))
    {
        StringListField("aliases", "aliases");
        StringField("firstSeen", "first_seen");
        StringField("lastSeen", "last_seen");
        StringField("objective", "objective");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("targetedSectors")
            .Description("Sectors of the identities this object `targets` (that you may see).")
            .ResolveAsync(async c => await TargetedSectors.OfAsync(c, c.Source.Id));
        CorrelationFields.AddCluster(this);
        Field<NonNullGraphType<StringGraphType>>("severity")
            .Description("The highest severity (BASELINE … EMERGENCY) of the incidents you may see in this campaign's cluster; NONE without any.")
            .ResolveAsync(async c => (await CorrelationQueryFields.VisibleClusterAsync(c, c.Source.Id))?.Severity ?? "NONE");
    }
}
