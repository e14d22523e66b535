using GraphQL.Types;

namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class IncidentGraphType : StixObjectGraphType
{
    public IncidentGraphType() : base("Incident", "incident: a security incident (with the Incident Core extension when present).", OfTypes("incident"))
    {
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("targetedSectors")
            .Description("Sectors of the identities this object `targets` (that you may see).")
            .ResolveAsync(async c => await TargetedSectors.OfAsync(c, c.Source.Id));
        Field<IncidentSeverityGraphType>("severity").Resolve(c => c.Source.View.Severity);
    }
}
