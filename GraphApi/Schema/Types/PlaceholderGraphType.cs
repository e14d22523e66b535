namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class PlaceholderGraphType : StixObjectGraphType
{
    public PlaceholderGraphType() : base("Placeholder",
        "An id that other objects refer to but that has not been received (yet); it fills in when the object arrives.",
        n => n.IsPlaceholder)
    {
        // An observable named only by indicator patterns is a placeholder until an SCO arrives: it still correlates.
        CorrelationFields.AddExclusion(this);
        CorrelationFields.AddCluster(this);
    }
}
