using GraphQL.Types;
using ThreatGraph.Stix.Patterning;

namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class PatternObservableGraphType : ObjectGraphType<PatternObservable>
{
    public PatternObservableGraphType()
    {
        Name = "PatternObservable";
        Field<NonNullGraphType<StringGraphType>>("objectType").Resolve(c => c.Source.ObjectType);
        Field<NonNullGraphType<StringGraphType>>("propertyPath").Resolve(c => c.Source.PropertyPath);
        Field<NonNullGraphType<StringGraphType>>("operator").Resolve(c => c.Source.Operator);
        Field<NonNullGraphType<StringGraphType>>("value").Resolve(c => c.Source.Value);
    }
}
