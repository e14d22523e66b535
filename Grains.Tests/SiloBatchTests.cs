using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Grains.Placement;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Grains.Traversal;
using ThreatGraph.Stix.Markings;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.Grains.Tests;

/// <summary>Three silos: node grains live where their id hashes to, and a traversal reads a level with one call per
/// other silo (no node is read across silos), answering exactly as on one silo, for each caller.</summary>
public sealed class SiloBatchTests : IAsyncLifetime
{
    const int Silos = 3;

    /// <summary>Calls to node grains and readers, as seen by the silo that sends or receives them.</summary>
    public sealed record GrainCall(string Direction, int Slot, string Method, string Target);

    static readonly ConcurrentQueue<GrainCall> Calls = new();
    InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: Silos);
        builder.ConfigureSilo((_, silo) =>
        {
            ClusterFixture.ConfigureSilo(silo);
            silo.Services.AddSingleton<IOutgoingGrainCallFilter, Recorder>();
            silo.Services.AddSingleton<IIncomingGrainCallFilter, Recorder>();
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    sealed class Recorder(SiloSlots slots) : IOutgoingGrainCallFilter, IIncomingGrainCallFilter
    {
        public Task Invoke(IOutgoingGrainCallContext context) => Record("out", context.TargetId, context.InterfaceMethod?.Name, context);
        public Task Invoke(IIncomingGrainCallContext context) => Record("in", context.TargetId, context.InterfaceMethod?.Name, context);

        Task Record(string direction, GrainId target, string? method, IGrainCallContext context)
        {
            if (method is "GetEdgesAsync" or "UpsertAsync" or "GetViewsAsync")
            {
                Calls.Enqueue(new(direction, slots.Current().Local, method, target.Key.ToString()!));
            }
            return context.Invoke();
        }
    }

    /// <summary>A center that uses 30 tools, each of which uses 2 more; tool 0 is TLP:RED of the US, with its 2.</summary>
    async Task<(string Center, string Red, List<string> All)> FanAsync()
    {
        var center = Stix.NewId("intrusion-set");
        var objects = new List<JsonObject> { Stix.Sdo("intrusion-set", center, name: "center") };
        var all = new List<string> { center };
        string red = "";
        var redObjects = new List<JsonObject>();
        for (var i = 0; i < 30; i++)
        {
            var tool = Stix.NewId("tool");
            var toolObject = Stix.Sdo("tool", tool, name: "tool" + i);
            all.Add(tool);
            objects.Add(Stix.Relationship(center, "uses", tool));
            var owned = i == 0 ? redObjects : objects;
            if (i == 0)
            {
                red = tool;
                toolObject["object_marking_refs"] = new JsonArray(Tlp.RedId);
            }
            owned.Add(toolObject);
            for (var j = 0; j < 2; j++)
            {
                var leaf = Stix.NewId("tool");
                all.Add(leaf);
                owned.Add(Stix.Sdo("tool", leaf, name: $"leaf{i}.{j}"));
                var uses = Stix.Relationship(tool, "uses", leaf);
                if (i == 0)
                {
                    uses["object_marking_refs"] = new JsonArray(Tlp.RedId);
                }
                owned.Add(uses);
            }
        }
        CallerContext.Set(ClusterFixture.JpAnalyst);
        Assert.Equal(0, (await _cluster.Client.GetGrain<IIngestGrain>(0).IngestAsync(Stix.Request([.. objects]))).Totals.Rejected);
        CallerContext.Set(UsAnalyst);
        Assert.Equal(0, (await _cluster.Client.GetGrain<IIngestGrain>(0).IngestAsync(Stix.Request([.. redObjects]))).Totals.Rejected);
        return (center, red, all);
    }

    static readonly CallerIdentity UsAnalyst = new("us-cisa", "us-cisa/analyst1", "us-analyst", ["analyst", "ingest"]);

    [Fact]
    public async Task Node_grains_are_activated_on_the_silo_their_id_hashes_to()
    {
        var (_, _, all) = await FanAsync();
        var upserts = Calls.Where(c => c is { Direction: "in", Method: "UpsertAsync" } && all.Contains(c.Target)).ToList();
        Assert.True(upserts.Count >= all.Count, $"{upserts.Count} upserts seen for {all.Count} nodes");
        Assert.All(upserts, c => Assert.Equal(SiloSlots.SlotOf(c.Target, Silos), c.Slot));
        Assert.Equal(Silos, upserts.Select(c => c.Slot).Distinct().Count()); // 91 ids: every silo holds some
    }

    [Fact]
    public async Task A_two_hop_neighbourhood_reads_every_node_locally_with_at_most_one_call_per_other_silo_per_level()
    {
        var (center, red, all) = await FanAsync();
        Calls.Clear();

        CallerContext.Set(UsAnalyst);
        var us = await _cluster.Client.GetGrain<ITraversalGrain>(0).NeighborhoodAsync(new(center, 2, ["uses"], 1_000));

        Assert.False(us.Partial);
        Assert.Equal(all.Count, us.Distances.Count);
        Assert.Equal(30, us.Distances.Values.Count(d => d == 1));
        var nodeReads = Calls.Where(c => c is { Direction: "out", Method: "GetEdgesAsync" } && all.Contains(c.Target)).ToList();
        Assert.Equal(1 + 30, nodeReads.Count); // the center, then the 30 tools: the leaves are not expanded at depth 2
        Assert.All(nodeReads, c => Assert.Equal(SiloSlots.SlotOf(c.Target, Silos), c.Slot)); // never across silos
        var readerCalls = Calls.Count(c => c is { Direction: "out", Method: "GetEdgesAsync" } && !all.Contains(c.Target));
        Assert.InRange(readerCalls, 1, 2 * (Silos - 1));

        // The hostile reading: JP may not see the US's RED tool, nor route through it to its leaves.
        CallerContext.Set(ClusterFixture.JpAnalyst);
        var jp = await _cluster.Client.GetGrain<ITraversalGrain>(0).NeighborhoodAsync(new(center, 2, ["uses"], 1_000));
        Assert.Equal(all.Count - 3, jp.Distances.Count);
        Assert.DoesNotContain(red, jp.Distances.Keys);
        Assert.DoesNotContain(jp.Edges, e => e.SourceId == red || e.TargetId == red);
    }

    [Fact]
    public async Task Views_of_many_nodes_come_back_in_order_and_only_where_the_caller_may_see_them()
    {
        var (center, red, all) = await FanAsync();
        var ids = all.Take(10).Append("tool--" + Guid.NewGuid()).ToList();

        CallerContext.Set(ClusterFixture.JpAnalyst);
        var jp = await _cluster.Client.GetGrain<ITraversalGrain>(0).GetViewsAsync(ids);
        CallerContext.Set(UsAnalyst);
        var us = await _cluster.Client.GetGrain<ITraversalGrain>(0).GetViewsAsync(ids);

        Assert.Equal(ids, us.Select((v, i) => v?.Id ?? ids[i]));
        Assert.Equal(center, us[0]!.Id);
        Assert.NotNull(us[ids.IndexOf(red)]);
        Assert.Null(jp[ids.IndexOf(red)]); // RED of another organisation reads like an unknown id
        Assert.Null(us[^1]);
        Assert.Equal(ids.Count - 2, jp.Count(v => v is not null));
    }
}
