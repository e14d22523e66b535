using GraphQL.Types;
using ThreatGraph.Contracts.Enrichment;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class EnrichmentJobGraphType : ObjectGraphType<EnrichmentJobStatus>
{
    public EnrichmentJobGraphType()
    {
        Name = "EnrichmentJob";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<StringGraphType>("lastRun").Description("When the job last finished a pass (null: never).")
            .Resolve(c => c.Source.LastRun is { } t ? TaxiiTimestamp.Format(t) : null);
        Field<NonNullGraphType<IntGraphType>>("processed").Description("Objects enriched since the job was registered.")
            .Resolve(c => Count(c.Source.Processed));
        Field<NonNullGraphType<IntGraphType>>("failed").Description("Objects whose enrichment failed (threw, timed out, invalid STIX, refused); nothing was written for them.")
            .Resolve(c => Count(c.Source.Failed));
        Field<NonNullGraphType<IntGraphType>>("lag").Description("Arrivals not yet read from the change feed at the last pass, plus requests waiting.")
            .Resolve(c => Count(c.Source.Lag));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("objectTypes").Resolve(c => c.Source.ObjectTypes);
        Field<NonNullGraphType<StringGraphType>>("member").Description("The organisation member the job runs and writes as.").Resolve(c => c.Source.Member);
        Field<StringGraphType>("lastError").Description("The last failure: the object's id and the reason.").Resolve(c => c.Source.LastError);
    }

    static int Count(long n) => (int)Math.Min(int.MaxValue, n);
}
