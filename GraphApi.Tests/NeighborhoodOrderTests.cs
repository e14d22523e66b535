using ThreatGraph.Contracts.Traversal;
using ThreatGraph.GraphApi.Schema.Types;

namespace ThreatGraph.GraphApi.Tests;

public sealed class NeighborhoodOrderTests
{
    [Fact]
    public void Nodes_come_by_distance_then_by_id_in_ordinal_order()
    {
        var distances = new Dictionary<string, int>
        {
            ["malware--b"] = 2, ["indicator--z"] = 1, ["campaign--c"] = 0, ["Indicator--a"] = 1, ["malware--a"] = 2, ["indicator--a"] = 1,
        };
        var nodes = new NeighborhoodResult("campaign--c", new Subgraph(distances, [], false, null)).Nodes();

        Assert.Equal(
            [("campaign--c", 0), ("Indicator--a", 1), ("indicator--a", 1), ("indicator--z", 1), ("malware--a", 2), ("malware--b", 2)],
            nodes.Select(n => (n.Id, n.Distance)));
    }
}
