using GraphQL.Types;

namespace ThreatGraph.GraphApi.Schema.Types;

public enum EdgeDirectionFilter { In, Out, Both }

public sealed class EdgeDirectionGraphType : EnumerationGraphType<EdgeDirectionFilter>
{
    public EdgeDirectionGraphType()
    {
        Name = "EdgeDirection";
        Description = "OUT: this node is the source; IN: the target; BOTH: either.";
    }
}
