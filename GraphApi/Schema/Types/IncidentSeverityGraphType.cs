using GraphQL.Types;
using ThreatGraph.Stix.Severity;
using ThreatGraph.Contracts.Severity;

namespace ThreatGraph.GraphApi.Schema.Types;

/// <summary>An incident's NCISS severity: the level in force, and the computed score, level and factors behind it.</summary>
public sealed class IncidentSeverityGraphType : ObjectGraphType<IncidentSeverity>
{
    public IncidentSeverityGraphType()
    {
        Name = "IncidentSeverity";
        Description = "NCISS-style severity (0 BASELINE … 5 EMERGENCY): an analyst's override when there is one, else computed from the "
            + "incident's factors with ThreatGraph's weights and thresholds (README \"Lifecycle and severity\").";
        Field<NonNullGraphType<IntGraphType>>("level").Resolve(c => c.Source.Level);
        Field<NonNullGraphType<StringGraphType>>("name").Description("BASELINE, LOW, MEDIUM, HIGH, SEVERE or EMERGENCY.")
            .Resolve(c => NcissLevels.Name((NcissLevel)c.Source.Level));
        Field<NonNullGraphType<FloatGraphType>>("score").Description("0–100, computed from the factors.").Resolve(c => c.Source.Score);
        Field<NonNullGraphType<IntGraphType>>("computedLevel").Description("The level the factors give, whatever the override.")
            .Resolve(c => c.Source.ComputedLevel);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SeverityFactorGraphType>>>>("factors")
            .Description("The factors known, from x_threatgraph_severity and the Incident Core extension.")
            .Resolve(c => SeverityFactors.All.Where(c.Source.Factors.ContainsKey).Select(f => new KeyValuePair<string, string>(f, c.Source.Factors[f])).ToList());
        Field<SeverityOverrideGraphType>("override").Description("The analyst's override in force; null when none.").Resolve(c => c.Source.Override);
    }
}
