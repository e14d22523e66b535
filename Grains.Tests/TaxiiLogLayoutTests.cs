using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using ThreatGraph.Grains.Taxii;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Grains.Tests;

/// <summary>The collection log's layout: recorded once, another partition count refused naming the setting, and the
/// single log of builds before partitioning moved into the partitions with its order and dates.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TaxiiLogLayoutTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_layout_is_recorded_once_and_another_partition_count_is_refused_naming_the_setting()
    {
        var log = fixture.Grains.GetGrain<ITaxiiCollectionLogGrain>("layout-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(new TaxiiLogLayout(8, null, 0), await log.EnsureLayoutAsync(8));
        Assert.Equal(new TaxiiLogLayout(8, null, 0), await log.EnsureLayoutAsync(8));

        var refused = await log.EnsureLayoutAsync(4);
        Assert.Equal(8, refused.Partitions);
        Assert.Contains("Taxii:LogPartitions is 4", refused.Error, StringComparison.Ordinal);
        Assert.Contains("Set Taxii:LogPartitions=8", refused.Error, StringComparison.Ordinal);

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.NotNull((await log.EnsureLayoutAsync(4)).Error);
    }

    [Fact]
    public async Task The_single_log_of_an_earlier_build_moves_into_the_partitions_with_its_order_and_dates()
    {
        var collection = "legacy-" + Guid.NewGuid().ToString("N");
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var total = TaxiiCollectionLogGrain.LegacySegmentSize + 1_234;
        // Two versions of each id, as the single log held them: dense Seq, date_added one microsecond apart.
        var legacy = Enumerable.Range(0, total).Select(i => new TaxiiLogEntry(i + 1, $"x-old--{i / 2:D6}", "x-old", $"v{i % 2}",
            start.AddDays(i % 2), "2.1", i, start.AddTicks(10L * i))).ToList();
        await fixture.Grains.GetGrain<ITaxiiLogSegmentGrain>(ITaxiiLogSegmentGrain.KeyOf(collection, 0))
            .SealAsync(legacy.GetRange(0, TaxiiCollectionLogGrain.LegacySegmentSize));
        var grainId = fixture.Grains.GetGrain<ITaxiiCollectionLogGrain>(collection).GetGrainId();
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Graph);
        await storage.WriteStateAsync("taxiilog", grainId, new GrainState<TaxiiCollectionLogState>(new TaxiiCollectionLogState
        {
            Entries = legacy[TaxiiCollectionLogGrain.LegacySegmentSize..],
            SealedSegments = 1,
        }));

        var layout = await fixture.Grains.GetGrain<ITaxiiCollectionLogGrain>(collection).EnsureLayoutAsync(4);
        Assert.Equal(new TaxiiLogLayout(4, null, total), layout);
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(new TaxiiLogLayout(4, null, 0), await fixture.Grains.GetGrain<ITaxiiCollectionLogGrain>(collection).EnsureLayoutAsync(4));

        var moved = new List<TaxiiLogEntry>();
        for (var p = 0; p < 4; p++)
        {
            var partition = fixture.Grains.GetGrain<ITaxiiLogPartitionGrain>(TaxiiLogPartitioning.KeyOf(collection, 4, p));
            var page = await partition.ReadAsync(new TaxiiLogQuery(0, null, null, null, null, ["all"], total, total));
            Assert.All(page.Entries, e => Assert.Equal(p, TaxiiLogPartitioning.PartitionOf(e.Id, 4)));
            Assert.Equal(Enumerable.Range(1, page.Entries.Count).Select(i => (long)i), page.Entries.Select(e => e.Seq));
            moved.AddRange(page.Entries);

            // Both versions of an id, first and last, are told apart within its partition as before.
            var last = await partition.ReadAsync(new TaxiiLogQuery(0, null, null, null, null, ["last"], total, total));
            Assert.All(last.Entries, e => Assert.Equal("v1", e.Version));
        }
        Assert.Equal(legacy.Select(e => (e.Id, e.Version, e.DateAdded, e.ContentHash)),
            moved.OrderBy(e => e.DateAdded).Select(e => (e.Id, e.Version, e.DateAdded, e.ContentHash)));

        // What is appended next comes after everything moved.
        var id = "x-old--new";
        var target = fixture.Grains.GetGrain<ITaxiiLogPartitionGrain>(TaxiiLogPartitioning.KeyOf(collection, 4, TaxiiLogPartitioning.PartitionOf(id, 4)));
        await target.AppendAsync([new TaxiiLogAppend(id, "x-old", null, null, "2.1", -1, Proposed: start)]);
        var appended = await target.ReadAsync(new TaxiiLogQuery(0, null, [id], null, null, ["all"], 1));
        Assert.True(appended.Entries.Single().DateAdded > legacy[^1].DateAdded);
    }
}
