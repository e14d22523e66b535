using ThreatGraph.Grains.Traversal;

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
        var report = await fixture.Grains.GetGrain<ThreatGraph.Grains.Ingest.IIngestGrain>(0).IngestAsync(Stix.Request([.. objects]));
        Assert.Equal(0, report.Totals.Rejected);
        return ids;
    }

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
    public async Task Neighborhood_stops_at_the_node_limit_and_says_so()
    {
        var ids = await ChainAsync();
        var result = await fixture.Grains.GetGrain<ITraversalGrain>(0).NeighborhoodAsync(new(ids[0], 3, null, 4));
        Assert.True(result.Partial);
        Assert.Equal(4, result.Distances.Count);
        Assert.Contains("4", result.PartialReason);
    }
}
