using System.Diagnostics;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using Xunit.Abstractions;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Durability.Tests;

/// <summary>A public resolver sighted everywhere: 200,000 edges on one observable, on Azure storage.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SupernodeTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    const int EdgeCount = 200_000;
    const int Batch = 5_000;

    [Fact]
    public async Task Observable_with_200000_edges_is_stored_reloaded_and_paged()
    {
        var serviceId = "super" + Guid.NewGuid().ToString("N")[..8];
        var resolver = "ipv4-addr--" + Guid.NewGuid();
        var edges = Enumerable.Range(0, EdgeCount).Select(Edge).ToList();
        var clock = Stopwatch.StartNew();

        await using (var first = new DurableApiFactory(azurite.ConnectionString, serviceId))
        {
            var node = first.Grains.GetNode(resolver);
            foreach (var batch in edges.Chunk(Batch))
            {
                await node.AddEdgesAsync(batch);
            }
            output.WriteLine($"{EdgeCount} edges written in {clock.Elapsed.TotalSeconds:F1} s");
            await AssertGraphAsync(first.Grains.GetNode(resolver));
        }

        // The node and its shards only: the silo also stores layout records of its own.
        var usage = await azurite.StateUsageAsync(serviceId, rowKeyContains: resolver);
        output.WriteLine($"{usage.Count} states, {usage.Bytes} bytes, largest {usage.Largest} bytes");
        Assert.True(usage.Largest < 2_000_000, $"largest stored state {usage.Largest} bytes: shards should stay bounded");
        Assert.Equal(1 + (EdgeCount - EdgeSharding.InlineLimit + EdgeSharding.ShardCapacity - 1) / EdgeSharding.ShardCapacity, usage.Count);

        await using var second = new DurableApiFactory(azurite.ConnectionString, serviceId);
        var reloaded = second.Grains.GetNode(resolver);
        clock.Restart();
        var view = await reloaded.GetViewAsync();
        output.WriteLine($"point read after restart: {clock.Elapsed.TotalMilliseconds:F0} ms");
        await AssertGraphAsync(reloaded);

        // Re-sending edges it holds changes nothing; revoking one is seen on the next read.
        await reloaded.AddEdgesAsync(edges.GetRange(150_000, 10));
        await reloaded.AddEdgesAsync([edges[150_001] with { Revoked = true }]);
        Assert.Equal(EdgeCount - 1, (await reloaded.GetEdgesAsync(new EdgeQuery(Take: 0))).TotalCount);
        await reloaded.RemoveEdgesAsync([edges[199_999], edges[3]]);
        Assert.Equal(EdgeCount - 2, (await reloaded.GetViewAsync())!.EdgeCount);
        Assert.NotNull(view);
    }

    static async Task AssertGraphAsync(INodeGrain node)
    {
        var view = await node.GetViewAsync();
        Assert.Equal(EdgeCount, view!.EdgeCount);
        var all = await node.GetEdgesAsync(new EdgeQuery(Take: 0));
        Assert.Equal(EdgeCount, all.TotalCount);

        // A page deep in the shards, in arrival order.
        var page = await node.GetEdgesAsync(new EdgeQuery(Skip: 150_000, Take: 100));
        Assert.Equal(EdgeCount, page.TotalCount);
        Assert.Equal(Enumerable.Range(150_000, 100).Select(i => Edge(i).EdgeId), page.Items.Select(e => e.EdgeId));

        // Filters across inline edges and shards: direction, kinds, revoked.
        var inbound = await node.GetEdgesAsync(new EdgeQuery(EdgeDirection.In, Skip: 10, Take: 5));
        Assert.Equal(EdgeCount / 2, inbound.TotalCount);
        Assert.All(inbound.Items, e => Assert.Equal(EdgeDirection.In, e.Direction));
        var resolves = await node.GetEdgesAsync(new EdgeQuery(Kinds: ["resolves-to"], Take: 0));
        Assert.Equal(EdgeCount / 4, resolves.TotalCount);
        var tail = await node.GetEdgesAsync(new EdgeQuery(EdgeDirection.Out, ["resolves-to"], Skip: EdgeCount / 4 - 3, Take: 10));
        Assert.Equal(EdgeCount / 4, tail.TotalCount);
        Assert.Equal(3, tail.Items.Count);
    }

    static Edge Edge(int i) => new(
        $"sighting--{i:D8}-0000-4000-8000-000000000000", i % 4 == 0 ? "resolves-to" : "where_sighted_refs",
        $"identity--{i:D8}-0000-4000-8000-000000000000", i % 2 == 0 ? EdgeDirection.Out : EdgeDirection.In, ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"]);
}
