using GraphQL.Types;

namespace ThreatGraph.GraphApi.Schema.Types;

/// <summary>Which campaigns <c>campaigns</c> lists.</summary>
public sealed class CampaignFilterInputGraphType : InputObjectGraphType<CampaignFilter>
{
    public CampaignFilterInputGraphType()
    {
        Name = "CampaignFilter";
        Field(x => x.Text, nullable: true).Description("Id or name contains this (case-insensitive).");
        Field(x => x.IncludeRevoked, nullable: true);
        Field(x => x.LinkedOnly, nullable: true).Description("Only campaigns linked to at least one other campaign.");
        Field(x => x.ClusterId, nullable: true).Description("Only campaigns in this cluster (a merged-away id forwards).");
        Field(x => x.Sector, nullable: true).Description("Only campaigns with a `targets` relationship to an identity of this sector "
            + "(its `sectors`, STIX industry-sector-ov: energy, water, healthcare …), as far as you may see them.");
    }
}

public sealed class CampaignFilter
{
    public string? Text { get; set; }
    public bool? IncludeRevoked { get; set; }
    public bool? LinkedOnly { get; set; }
    public string? ClusterId { get; set; }
    public string? Sector { get; set; }
}
