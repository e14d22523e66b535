namespace ThreatGraph.GraphApi.Schema.Types;

public sealed class PlaceholderGraphType : StixObjectGraphType
{
    public PlaceholderGraphType() : base("Placeholder",
        "An id that other objects refer to but that has not been received (yet); it fills in when the object arrives.",
        n => n.IsPlaceholder)
    {
    }
}
