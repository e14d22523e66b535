using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix.Markings;

namespace ThreatGraph.Grains.Tests;

/// <summary>
/// A node's first window of edges is read from its shards in one round, chosen by the shards' stored counts; hidden
/// edges must not shorten it, shift it or show through its count.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class EdgeWindowTests(ClusterFixture fixture)
{
    static readonly AccessDescriptor JpRed = new(TlpLevel.Red, "jp-nisc", "jp-nisc/analyst1", []);
    static readonly AccessDescriptor JpGreen = new(TlpLevel.Green, "jp-nisc", "jp-nisc/analyst1", []);
    static readonly CallerIdentity UsAnalyst = new("us-cisa", "us-cisa/analyst1", "us-analyst", ["analyst"]);

    /// <summary>A hub whose first 2,400 edges (inline and the whole first shard) are jp-nisc RED, the next 1,600 GREEN.</summary>
    async Task<(INodeGrain Node, List<string> Green)> HubAsync()
    {
        var hub = "ipv4-addr--" + Guid.NewGuid();
        var node = NodeGrains.GetNode(fixture.Grains, hub);
        var peers = Enumerable.Range(0, 4_000).Select(_ => Stix.NewId("indicator")).ToList();
        CallerContext.Set(CallerIdentity.System);
        for (var i = 0; i < peers.Count; i += 1_000)
        {
            await node.AddEdgesAsync([.. peers.Skip(i).Take(1_000).Select((p, k) => new Edge(Edge.RefEdgeId(p, "pattern-names", hub), "pattern-names", p,
                EdgeDirection.In, [], Access: i + k < 2_400 ? JpRed : JpGreen, PeerAccess: []))]);
        }
        return (node, peers.Skip(2_400).ToList());
    }

    [Fact]
    public async Task Hidden_edges_in_the_first_shards_neither_shorten_nor_show_through_the_first_window()
    {
        var (node, green) = await HubAsync();
        CallerContext.Set(UsAnalyst);
        var first = await node.GetEdgesAsync(new EdgeQuery(Take: 100));
        Assert.Equal(green.Count, first.TotalCount);
        Assert.Equal(100, first.Items.Count);
        Assert.All(first.Items, e => Assert.Contains(e.PeerId, green));
        // The same order as a later window: the one-round path and the counting path agree.
        var later = await node.GetEdgesAsync(new EdgeQuery(Skip: 1, Take: 99));
        Assert.Equal(first.Items.Skip(1).Select(e => e.PeerId), later.Items.Select(e => e.PeerId));

        // Without an exact count (a traversal's read) the same window, and a count that only says "more than 100".
        var traversal = await node.GetEdgesAsync(new EdgeQuery(Take: 100, ExactCount: false));
        Assert.Equal(first.Items.Select(e => e.PeerId), traversal.Items.Select(e => e.PeerId));
        Assert.InRange(traversal.TotalCount, 101, green.Count);
        var all = await node.GetEdgesAsync(new EdgeQuery(Take: 5_000, ExactCount: false));
        Assert.Equal(green.Count, all.TotalCount); // fewer than the window match: the count is exact anyway
        Assert.Equal(green.Count, all.Items.Count);

        CallerContext.Set(new CallerIdentity("jp-nisc", "jp-nisc/analyst1", "jp-analyst", ["analyst"]));
        var owner = await node.GetEdgesAsync(new EdgeQuery(Take: 5_000));
        Assert.Equal(4_000, owner.TotalCount);
        Assert.Equal(4_000, owner.Items.Select(e => e.PeerId).Distinct().Count());
    }
}
