using System.Net;
using System.Text.Json.Nodes;
using ThreatGraph.TestSupport;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>The whole ATT&amp;CK for ICS bundle through the real HTTP endpoints, on a host of its own (exact counts).</summary>
public sealed class IcsAttackTests(IcsAttackTests.Host host) : IClassFixture<IcsAttackTests.Host>
{
    public sealed class Host : ApiFactory;

    [Fact]
    public async Task Ingests_with_zero_rejections_counts_match_relationships_reach_both_ends_and_resend_is_unchanged()
    {
        var bytes = SharedData.Bytes("mitre-attack/ics-attack-18.1.json");
        var objects = JsonNode.Parse(bytes)!["objects"]!.AsArray().Select(o => o!.AsObject()).ToList();

        var (status, first) = await host.PostBundleAsync(bytes);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, first["totals"]!["rejected"]!.GetValue<int>());
        Assert.Equal(objects.Count, first["totals"]!["created"]!.GetValue<int>());

        var counts = (await host.DataAsync("{ typeCounts(includeRevoked: true) { type count } }"))["typeCounts"]!.AsArray()
            .ToDictionary(x => x!["type"]!.GetValue<string>(), x => x!["count"]!.GetValue<int>());
        var expected = objects.GroupBy(o => o["type"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected.OrderBy(x => x.Key), counts.OrderBy(x => x.Key));

        await AssertEveryRelationshipReachableFromBothEndsAsync(objects.Where(o => o["type"]!.GetValue<string>() == "relationship").ToList());

        var (_, second) = await host.PostBundleAsync(bytes);
        Assert.Equal(objects.Count, second["totals"]!["unchanged"]!.GetValue<int>());
    }

    async Task AssertEveryRelationshipReachableFromBothEndsAsync(List<JsonObject> relationships)
    {
        foreach (var (end, direction) in new[] { ("source_ref", "OUT"), ("target_ref", "IN") })
        {
            // One aliased query per 20 (node, kind) pairs: what each node lists must include every relationship at it.
            var groups = relationships.GroupBy(r => (Node: r[end]!.GetValue<string>(), Kind: r["relationship_type"]!.GetValue<string>())).ToList();
            foreach (var chunk in groups.Chunk(20))
            {
                var fields = chunk.Select((g, i) =>
                    $"n{i}: object(id: \"{g.Key.Node}\", includeRevoked: true) {{ relationships(direction: {direction}, types: [\"{g.Key.Kind}\"], includeRevoked: true, first: 500) {{ totalCount edges {{ node {{ id }} }} }} }}");
                var data = await host.DataAsync("{ " + string.Join("\n", fields) + " }");
                for (var i = 0; i < chunk.Length; i++)
                {
                    var listed = data[$"n{i}"]!["relationships"]!["edges"]!.AsArray().Select(e => e!["node"]!["id"]!.GetValue<string>()).ToHashSet();
                    foreach (var r in chunk[i])
                    {
                        Assert.True(listed.Contains(r["id"]!.GetValue<string>()), $"{r["id"]} not listed {direction} at {chunk[i].Key.Node}");
                    }
                }
            }
        }
    }
}
