using GraphQL.Types;

namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class ObservableGraphType : StixObjectGraphType
{
    public ObservableGraphType() : base("Observable", "A cyber-observable object (SCO): ipv4-addr, domain-name, file, url…",
        n => !n.IsPlaceholder && Arguments.IsObservable(n.Type))
    {
        Field<StringGraphType>("value").Description("value, name or number, whichever the type has.")
            .Resolve(c => c.Source.String("value") ?? c.Source.String("name") ?? c.Source.Long("number")?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        CorrelationFields.AddExclusion(this);
        CorrelationFields.AddCluster(this);
    }
}
