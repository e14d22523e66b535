using GraphQL.Types;

namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class SightingGraphType : StixObjectGraphType
{
    public SightingGraphType() : base("Sighting", "sighting: something (usually an indicator) was seen.", OfTypes("sighting"))
    {
        ObjectField("sightingOf", "sighting_of_ref", "What was seen.");
        StringListField("whereSightedRefs", "where_sighted_refs");
        StringListField("observedDataRefs", "observed_data_refs");
        Field<IntGraphType>("count").Resolve(c => c.Source.Long("count") is { } n ? (int)Math.Min(n, int.MaxValue) : null);
        StringField("firstSeen", "first_seen");
        StringField("lastSeen", "last_seen");
    }
}
