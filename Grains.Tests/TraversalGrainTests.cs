using System.Text.Json.Nodes;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Grains.Traversal;
using ThreatGraph.Stix.Markings;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class TraversalGrainTests(ClusterFixture fixture)
{
    /// <summary>A chain a - b - c - d of "uses" relationships, plus a fan of 5 targets on a.</summary>
    async Task<string[]> ChainAsync()
    {
        var ids = Enumerable.Range(0, 4).Select(_ => Stix.NewId("intrusion-set")).ToArray();
        var objects = ids.Select((id, i) => Stix.Sdo("intrusion-set", id, name: "n" + i)).ToList();
        for (var i = 0; i < 3; i++)
        {
            objects.Add(Stix.Relationship(ids[i], "uses", ids[i + 1]));
        }
        for (var i = 0; i < 5; i++)
        {
            objects.Add(Stix.Relationship(ids[0], "targets", Stix.NewId("identity")));
        }
        var report = await fixture.Grains.GetGrain<ThreatGraph.Contracts.Ingest.IIngestGrain>(0).IngestAsync(Stix.Request([.. objects]));
        Assert.Equal(0, report.Totals.Rejected);
        return ids;
    }

    [Fact]
    public async Task A_neighborhood_at_a_supernode_stays_within_the_node_limit_and_says_it_is_partial()
    {
        var hub = "ipv4-addr--" + Guid.NewGuid();
        var peers = Enumerable.Range(0, 7_000).Select(_ => Stix.NewId("indicator")).ToList();
        var node = ThreatGraph.Contracts.Nodes.NodeGrains.GetNode(fixture.Grains, hub);
        CallerContext.Set(CallerIdentity.System);
        foreach (var batch in peers.Chunk(2_000))
        {
            await node.AddEdgesAsync([.. batch.Select(p => new ThreatGraph.Contracts.Model.Edge(ThreatGraph.Contracts.Model.Edge.RefEdgeId(p, "pattern-names", hub), "pattern-names", p,
                ThreatGraph.Contracts.Model.EdgeDirection.In, [], Access: ClusterFixtureAccess, PeerAccess: []))]);
        }
        var result = await fixture.Grains.GetGrain<ITraversalGrain>(0).NeighborhoodAsync(new(hub, 4, null, 5_000));
        Assert.True(result.Partial);
        Assert.NotNull(result.PartialReason);
        Assert.InRange(result.Distances.Count, 1, 5_000);
    }

    [Fact]
    public async Task Peers_of_edges_written_before_peer_access_was_kept_are_asked_and_a_hidden_one_stays_out()
    {
        // c and v are JP's; h is TLP:RED of a US member. c's edges to both were written without their peers' access
        // (as before it was kept), so the node cannot filter the peers: the traversal must ask them.
        var (c, v, h) = (Stix.NewId("intrusion-set"), Stix.NewId("intrusion-set"), Stix.NewId("intrusion-set"));
        Assert.Equal(0, (await fixture.Grains.GetGrain<IIngestGrain>(0).IngestAsync(Stix.Request(
            Stix.Sdo("intrusion-set", c, name: "c"), Stix.Sdo("intrusion-set", v, name: "v")))).Totals.Rejected);
        var secret = Stix.Sdo("intrusion-set", h, name: "h");
        secret["object_marking_refs"] = new JsonArray(Tlp.RedId);
        CallerContext.Set(new CallerIdentity("us-cisa", "us-cisa/analyst1", "us-analyst", ["analyst", "ingest"]));
        Assert.Equal(0, (await fixture.Cluster.Client.GetGrain<IIngestGrain>(0).IngestAsync(Stix.Request(secret))).Totals.Rejected);
        CallerContext.Set(CallerIdentity.System);
        await ThreatGraph.Contracts.Nodes.NodeGrains.GetNode(fixture.Cluster.Client, c).AddEdgesAsync([.. new[] { v, h }.Select(peer =>
            new ThreatGraph.Contracts.Model.Edge($"relationship--{Guid.NewGuid()}", "uses", peer, ThreatGraph.Contracts.Model.EdgeDirection.Out, [],
                Access: ClusterFixtureAccess))]);

        var member = await fixture.Grains.GetGrain<ITraversalGrain>(0).NeighborhoodAsync(new(c, 1, null, 10)); // JP
        CallerContext.Set(CallerIdentity.System);
        var system = await fixture.Cluster.Client.GetGrain<ITraversalGrain>(0).NeighborhoodAsync(new(c, 1, null, 10));

        Assert.Equal(new Dictionary<string, int> { [c] = 0, [v] = 1 }, member.Distances);
        Assert.Equal(new Dictionary<string, int> { [c] = 0, [v] = 1, [h] = 1 }, system.Distances);
    }

    static readonly AccessDescriptor ClusterFixtureAccess = new(TlpLevel.Green, "jp-nisc", "jp-nisc/analyst1", []);

    [Fact]
    public async Task Neighborhood_reaches_exactly_depth_hops_with_distances()
    {
        var ids = await ChainAsync();
        var result = await fixture.Grains.GetGrain<ITraversalGrain>(0).NeighborhoodAsync(new(ids[0], 2, ["uses"], 100));
        Assert.False(result.Partial);
        Assert.Equal(new Dictionary<string, int> { [ids[0]] = 0, [ids[1]] = 1, [ids[2]] = 2 }, result.Distances);
        Assert.Equal(2, result.Edges.Count);
        Assert.Contains(result.Edges, e => e.SourceId == ids[1] && e.TargetId == ids[2] && e.Kind == "uses");
    }

    [Fact]
    public async Task A_neighborhood_without_edges_has_the_same_nodes_and_distances()
    {
        var ids = await ChainAsync();
        var traversal = fixture.Grains.GetGrain<ITraversalGrain>(0);
        var full = await traversal.NeighborhoodAsync(new(ids[0], 2, ["uses"], 100));
        var nodesOnly = await traversal.NeighborhoodAsync(new(ids[0], 2, ["uses"], 100, IncludeEdges: false));
        Assert.Equal(full.Distances, nodesOnly.Distances);
        Assert.Empty(nodesOnly.Edges);
        Assert.Equal(2, full.Edges.Count);
    }

    [Fact]
    public async Task Neighborhood_stops_at_the_node_limit_and_says_so()
    {
        var ids = await ChainAsync();
        var result = await fixture.Grains.GetGrain<ITraversalGrain>(0).NeighborhoodAsync(new(ids[0], 3, null, 4));
        Assert.True(result.Partial);
        Assert.Equal(4, result.Distances.Count);
        Assert.Contains("4", result.PartialReason);
    }

    [Fact]
    public async Task The_system_reaches_peers_that_a_member_may_not_see()
    {
        // a (JP) uses b; b is TLP:RED of a US member, so the JP analyst sees the edge but not its peer.
        var (a, b) = (Stix.NewId("intrusion-set"), Stix.NewId("intrusion-set"));
        var jp = await fixture.Grains.GetGrain<IIngestGrain>(0).IngestAsync(Stix.Request(Stix.Sdo("intrusion-set", a, name: "a"), Stix.Relationship(a, "uses", b)));
        Assert.Equal(0, jp.Totals.Rejected);
        var secret = Stix.Sdo("intrusion-set", b, name: "b");
        secret["object_marking_refs"] = new JsonArray(Tlp.RedId);
        CallerContext.Set(new CallerIdentity("us-cisa", "us-cisa/analyst1", "us-analyst", ["analyst", "ingest"]));
        Assert.Equal(0, (await fixture.Cluster.Client.GetGrain<IIngestGrain>(0).IngestAsync(Stix.Request(secret))).Totals.Rejected);

        var member = await fixture.Grains.GetGrain<ITraversalGrain>(0).NeighborhoodAsync(new(a, 1, null, 10));
        CallerContext.Set(CallerIdentity.System);
        var system = await fixture.Cluster.Client.GetGrain<ITraversalGrain>(0).NeighborhoodAsync(new(a, 1, null, 10));

        Assert.Equal(new Dictionary<string, int> { [a] = 0 }, member.Distances);
        Assert.Equal(new Dictionary<string, int> { [a] = 0, [b] = 1 }, system.Distances);
        Assert.Single(system.Edges);
    }

    [Fact]
    public async Task A_hidden_center_has_no_neighbourhood_and_no_edges_for_the_member_exactly_like_an_unknown_id()
    {
        // b is TLP:RED of a US member and uses a, which JP sees, through a GREEN relationship JP sees too. Asked about
        // b, JP's traversal must not confirm b or say what it links to: the same empty answer as for an id nobody sent.
        var (a, b) = (Stix.NewId("intrusion-set"), Stix.NewId("intrusion-set"));
        Assert.Equal(0, (await fixture.Grains.GetGrain<IIngestGrain>(0).IngestAsync(Stix.Request(Stix.Sdo("intrusion-set", a, name: "a")))).Totals.Rejected);
        var secret = Stix.Sdo("intrusion-set", b, name: "b");
        secret["object_marking_refs"] = new JsonArray(Tlp.RedId);
        CallerContext.Set(new CallerIdentity("us-cisa", "us-cisa/analyst1", "us-analyst", ["analyst", "ingest"]));
        Assert.Equal(0, (await fixture.Cluster.Client.GetGrain<IIngestGrain>(0).IngestAsync(Stix.Request(secret, Stix.Relationship(b, "uses", a)))).Totals.Rejected);
        var us = await fixture.Cluster.Client.GetGrain<ITraversalGrain>(0).NeighborhoodAsync(new(b, 1, null, 10));
        Assert.Equal(new Dictionary<string, int> { [b] = 0, [a] = 1 }, us.Distances);

        var traversal = fixture.Grains.GetGrain<ITraversalGrain>(0); // JP from here on
        var hidden = await traversal.NeighborhoodAsync(new(b, 2, null, 10));
        var unknown = await traversal.NeighborhoodAsync(new(Stix.NewId("intrusion-set"), 2, null, 10));
        Assert.Empty(hidden.Distances);
        Assert.Empty(hidden.Edges);
        Assert.Equal((unknown.Partial, unknown.PartialReason), (hidden.Partial, hidden.PartialReason));
        Assert.Empty(unknown.Distances);
        var edges = await traversal.ReadEdgesAsync(b, ThreatGraph.Contracts.Nodes.EdgeQuery.All);
        Assert.Empty(edges.Items);
        Assert.Equal(0, edges.TotalCount);
        // From a, which JP sees, the edge to b stays hidden as before (b is RED).
        Assert.Equal(new Dictionary<string, int> { [a] = 0 }, (await traversal.NeighborhoodAsync(new(a, 1, null, 10))).Distances);
    }
}
