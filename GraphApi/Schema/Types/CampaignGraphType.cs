namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class CampaignGraphType : StixObjectGraphType
{
    public CampaignGraphType() : base("Campaign", "campaign: a grouping of adversarial behaviour over a period against a set of targets.", OfTypes("campaign"))
    {
        StringListField("aliases", "aliases");
        StringField("firstSeen", "first_seen");
        StringField("lastSeen", "last_seen");
        StringField("objective", "objective");
        CorrelationFields.AddCluster(this);
    }
}
