using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix.Markings;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class NodeGrainTests(ClusterFixture fixture)
{
    static readonly AccessDescriptor Green = new(TlpLevel.Green, "jp-nisc", "jp-nisc/analyst1", []);

    [Fact]
    public async Task Edges_without_access_are_visible_to_the_system_only()
    {
        var node = fixture.Grains.GetNode(Stix.NewId("identity"));
        await node.AddEdgesAsync([new Edge("relationship--x", "uses", Stix.NewId("malware"), EdgeDirection.Out, [])]);
        Assert.Equal(0, (await node.GetEdgesAsync(EdgeQuery.All)).TotalCount);
        CallerContext.Set(CallerIdentity.System);
        Assert.Equal(1, (await node.GetEdgesAsync(EdgeQuery.All)).TotalCount);
    }

    [Fact]
    public async Task A_node_and_its_shard_read_cold_from_the_packed_edges_and_writes_after_such_reads_keep_every_edge()
    {
        // 300 edges: 250 inline (EdgeSharding.InlineLimit), 50 in a shard. A cold activation reads them packed; any
        // write, with or without an edge change, must store them all.
        CallerContext.Set(CallerIdentity.System);
        var node = fixture.Grains.GetNode(Stix.NewId("identity"));
        var edges = Enumerable.Range(0, 300).Select(i =>
            new Edge($"relationship--{Guid.NewGuid()}", i % 2 == 0 ? "uses" : "targets", Stix.NewId("malware"), EdgeDirection.Out, [], Access: Green)).ToList();
        await node.AddEdgesAsync(edges);
        async Task<HashSet<string>> ColdEdgeIdsAsync()
        {
            await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            var page = await node.GetEdgesAsync(EdgeQuery.All);
            Assert.Equal(page.Items.Count, page.TotalCount);
            return [.. page.Items.Select(e => e.EdgeId)];
        }

        Assert.Equal(edges.Select(e => e.EdgeId).ToHashSet(), await ColdEdgeIdsAsync()); // a first read: packed

        await node.PointAtAsync("cluster--after-a-cold-read"); // a write that changes no edge, edges still packed
        Assert.Equal(300, (await ColdEdgeIdsAsync()).Count);
        Assert.Equal(150, (await node.GetEdgesAsync(new EdgeQuery(Kinds: ["uses"]))).TotalCount); // a second read unpacks
        Assert.Equal(300, (await node.GetEdgesAsync(EdgeQuery.All)).TotalCount);
        Assert.Equal("cluster--after-a-cold-read", (await node.GetCorrelationAsync()).ClusterId);

        Assert.Equal(300, (await ColdEdgeIdsAsync()).Count); // packed again, and changed from there
        var added = new Edge($"relationship--{Guid.NewGuid()}", "uses", Stix.NewId("malware"), EdgeDirection.Out, [], Access: Green);
        await node.RemoveEdgesAsync([edges[0], edges[299]]); // one inline, one in the shard
        await node.AddEdgesAsync([added]);
        var expected = edges.Skip(1).Take(298).Select(e => e.EdgeId).Append(added.EdgeId).ToHashSet();
        Assert.Equal(expected, await ColdEdgeIdsAsync());
    }

    [Fact]
    public async Task Unknown_id_reads_as_null()
    {
        Assert.Null(await fixture.Grains.GetNode(Stix.NewId("malware")).GetViewAsync());
    }

    [Fact]
    public async Task Adding_the_same_edge_twice_keeps_one_entry()
    {
        var id = Stix.NewId("identity");
        var node = fixture.Grains.GetNode(id);
        var edge = new Edge("relationship--1", "uses", Stix.NewId("malware"), EdgeDirection.Out, [], Access: Green);
        await node.AddEdgesAsync([edge]);
        await node.AddEdgesAsync([edge with { Markings = [] }]);
        Assert.Equal(1, (await node.GetEdgesAsync(EdgeQuery.All)).TotalCount);
    }

    [Fact]
    public async Task Edge_query_filters_by_direction_kind_and_pages()
    {
        var node = fixture.Grains.GetNode(Stix.NewId("identity"));
        var edges = Enumerable.Range(0, 10).Select(i =>
            new Edge($"relationship--{i}", i % 2 == 0 ? "uses" : "targets", Stix.NewId("malware"), i < 5 ? EdgeDirection.Out : EdgeDirection.In, [], Access: Green)).ToList();
        await node.AddEdgesAsync(edges);

        var uses = await node.GetEdgesAsync(new EdgeQuery(Kinds: ["uses"]));
        Assert.Equal(5, uses.TotalCount);
        var outPage = await node.GetEdgesAsync(new EdgeQuery(EdgeDirection.Out, Skip: 2, Take: 2));
        Assert.Equal(5, outPage.TotalCount);
        Assert.Equal(2, outPage.Items.Count);
    }

    [Fact]
    public async Task Object_sent_to_another_node_is_rejected()
    {
        var node = fixture.Grains.GetNode(Stix.NewId("campaign"));
        var result = await node.UpsertAsync(new StixObjectVersion(Stix.NewId("campaign"), "campaign", "{}", null, false, [], []));
        Assert.Equal(UpsertOutcome.Rejected, result.Outcome);
    }
}
