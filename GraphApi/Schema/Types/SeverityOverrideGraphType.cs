using GraphQL.Types;
using ThreatGraph.Stix.Severity;
using ThreatGraph.Contracts.Severity;

namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class SeverityOverrideGraphType : ObjectGraphType<SeverityOverride>
{
    public SeverityOverrideGraphType()
    {
        Name = "SeverityOverride";
        Description = "An analyst of the reporting organisation set the incident's severity, with a reason (audited).";
        Field<NonNullGraphType<IntGraphType>>("level").Resolve(c => c.Source.Level);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => NcissLevels.Name((NcissLevel)c.Source.Level));
        Field<NonNullGraphType<StringGraphType>>("reason").Resolve(c => c.Source.Reason);
        Field<NonNullGraphType<StringGraphType>>("organisation").Resolve(c => c.Source.Org);
        Field<StringGraphType>("member").Description("The analyst; shown to members of the same organisation only.")
            .Resolve(c => c.Source.Member.Length > 0 ? c.Source.Member : null);
        Field<NonNullGraphType<StringGraphType>>("at")
            .Resolve(c => c.Source.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }
}
