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
        Field<FloatGraphType>("score").Description("Decayed score now: s0 · (1 − (t/L)^(1/δ)), 0 once expired (README \"Lifecycle and severity\").")
            .Resolve(c => c.Source.View.Lifecycle?.Score);
        Field<StringGraphType>("decayedAt").Description("When the score falls (or fell) below Lifecycle:ActiveThreshold, unless revived by a new version or sighting.")
            .Resolve(c => Rfc3339(c.Source.View.Lifecycle?.DecayedAt));
        Field<StringGraphType>("revivedAt").Description("When its age last started again: its current version or latest sighting arrived.")
            .Resolve(c => Rfc3339(c.Source.View.Lifecycle?.Since));
        Field<NonNullGraphType<BooleanGraphType>>("active").Description("Not expired and not decayed: it counts (correlation, activeOnly).")
            .Resolve(c => c.Source.View.Lifecycle?.Active ?? false);
        Field<StringGraphType>("inactiveReason").Resolve(c => c.Source.View.Lifecycle?.Inactive);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PatternObservableGraphType>>>>("observables")
            .Description("The observables a STIX pattern names (type, property path, operator, value).")
            .Resolve(c => c.Source.String("pattern_type") == "stix" && c.Source.String("pattern") is { } p
                ? StixPattern.Parse(p).Observables
                : []);
    }

    static string? Rfc3339(DateTimeOffset? t) =>
        t?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
