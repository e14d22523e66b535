using GraphQL.Types;
using ThreatGraph.Stix.Patterning;

namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class IndicatorGraphType : StixObjectGraphType
{
    public IndicatorGraphType() : base("Indicator", "indicator: a pattern that detects suspicious or malicious activity.", OfTypes("indicator"))
    {
        StringField("pattern", "pattern");
        StringField("patternType", "pattern_type");
        StringField("validFrom", "valid_from");
        StringField("validUntil", "valid_until");
        StringListField("indicatorTypes", "indicator_types");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PatternObservableGraphType>>>>("observables")
            .Description("The observables a STIX pattern names (type, property path, operator, value).")
            .Resolve(c => c.Source.String("pattern_type") == "stix" && c.Source.String("pattern") is { } p
                ? StixPattern.Parse(p).Observables
                : []);
    }
}
