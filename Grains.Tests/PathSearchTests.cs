using System.Text.Json.Nodes;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Ingest;

namespace ThreatGraph.Grains.Tests;

/// <summary>Shortest path by bidirectional search: the shortest of several routes, through a supernode when that is
/// the way, and nothing beyond the hop limit.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PathSearchTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Finds_the_shortest_route_including_one_through_a_supernode_and_nothing_beyond_the_hop_limit()
    {
        // a – p – b (2 hops), a – x – y – z – b (4 hops); c reaches b only through a hub with 600 other neighbours.
        var n = Enumerable.Range(0, 8).Select(i => Stix.Sdo("campaign", name: $"node {i}")).ToList();
        var (a, p, b, x, y, z, c, hub) = (Id(n[0]), Id(n[1]), Id(n[2]), Id(n[3]), Id(n[4]), Id(n[5]), Id(n[6]), Id(n[7]));
        var spokes = Enumerable.Range(0, 600).Select(i => Stix.Sdo("campaign", name: $"spoke {i}")).ToList();
        var objects = new List<JsonObject>(n) { Rel(a, p), Rel(p, b), Rel(a, x), Rel(x, y), Rel(y, z), Rel(z, b), Rel(c, hub), Rel(hub, b) };
        objects.AddRange(spokes);
        objects.AddRange(spokes.Select(s => Rel(hub, Id(s))));
        var report = await fixture.Grains.GetGrain<IIngestGrain>(0).IngestAsync(Stix.Request([.. objects]));
        Assert.Equal(0, report.Totals.Rejected);

        var query = fixture.Grains.GetGrain<ICorrelationQueryGrain>(0);
        var shortest = await query.ShortestPathAsync(a, b, 6, ["related-to"], 20_000);
        Assert.True(shortest.Found);
        Assert.Equal([a, p, b], shortest.Nodes);
        Assert.Equal(2, shortest.Edges.Count);

        var viaHub = await query.ShortestPathAsync(c, b, 6, ["related-to"], 20_000);
        Assert.Equal([c, hub, b], viaHub.Nodes);
        Assert.False(viaHub.Partial);

        var tooFar = await query.ShortestPathAsync(x, c, 2, ["related-to"], 20_000); // x–y–z–b–hub–c is 5 hops
        Assert.False(tooFar.Found);
        Assert.True(tooFar.Partial);
        Assert.Contains("within 2 hops", tooFar.PartialReason);
        Assert.Equal(5, (await query.ShortestPathAsync(x, c, 6, ["related-to"], 20_000)).Nodes.Count - 1);
    }

    static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    static JsonObject Rel(string from, string to) => Stix.Relationship(from, "related-to", to);
}
