using GraphQL.Types;

namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class SeverityFactorGraphType : ObjectGraphType<KeyValuePair<string, string>>
{
    public SeverityFactorGraphType()
    {
        Name = "SeverityFactor";
        Description = "One NCISS factor of an incident and its value (e.g. functional_impact: denial-of-critical-services).";
        Field<NonNullGraphType<StringGraphType>>("factor").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<StringGraphType>>("value").Resolve(c => c.Source.Value);
    }
}
