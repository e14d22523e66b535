using GraphQL.Types;

namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class IncidentGraphType : StixObjectGraphType
{
    public IncidentGraphType() : base("Incident", "incident: a security incident (with the Incident Core extension when present).", OfTypes("incident"))
    {
        Field<IncidentSeverityGraphType>("severity").Resolve(c => c.Source.View.Severity);
    }
}
