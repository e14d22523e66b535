using ThreatGraph.Grains.Taxii;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Grains.Tests;

/// <summary>A TAXII log partition persists in sealed segments plus a tail, and reads back whole after a deactivation.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TaxiiLogSegmentTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_long_partition_is_sealed_in_segments_and_reads_back_whole_in_order_after_deactivation()
    {
        var key = TaxiiLogPartitioning.KeyOf("segments-" + Guid.NewGuid().ToString("N"), 4, 1);
        var log = fixture.Grains.GetGrain<ITaxiiLogPartitionGrain>(key);
        var total = 2 * TaxiiLogPartitionGrain.SegmentSize + 1_234;
        var ids = Enumerable.Range(0, total).Select(i => $"x-seg--{i:D8}").ToList();
        foreach (var batch in ids.Chunk(1_000))
        {
            await log.AppendAsync([.. batch.Select(id => new TaxiiLogAppend(id, "x-seg", null, null, "2.1", id.GetHashCode()))]);
        }
        await log.AppendAsync([new TaxiiLogAppend(ids[0], "x-seg", null, null, "2.1", ids[0].GetHashCode())]); // known: ignored

        var first = await fixture.Grains.GetGrain<ITaxiiLogSegmentGrain>(ITaxiiLogSegmentGrain.KeyOf(key, 0)).GetAsync();
        Assert.Equal(TaxiiLogPartitionGrain.SegmentSize, first.Count);
        Assert.Equal(ids[0], first[0].Id);
        var third = await fixture.Grains.GetGrain<ITaxiiLogSegmentGrain>(ITaxiiLogSegmentGrain.KeyOf(key, 2)).GetAsync();
        Assert.Empty(third); // the last 1,234 are still the tail

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(total, await log.CountAsync());
        var read = await log.ReadAsync(new TaxiiLogQuery(0, null, null, ["x-seg"], null, ["all"], total + 10, total + 10));
        Assert.Equal(ids, read.Entries.Select(e => e.Id));
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), read.Entries.Select(e => e.Seq));
        Assert.True(read.Entries.Zip(read.Entries.Skip(1)).All(p => p.First.DateAdded < p.Second.DateAdded));
        Assert.All(read.Entries, e => Assert.Equal(1, TaxiiLogClock.Micros(e.DateAdded) % 4)); // partition 1 of 4: its residue

        // Appends after reactivation continue the log where it stopped, above everything promised before.
        await log.AppendAsync([new TaxiiLogAppend("x-seg--after", "x-seg", null, null, "2.1", 42)]);
        var after = await log.ReadAsync(new TaxiiLogQuery(total, null, null, null, null, ["all"], 10));
        Assert.Equal("x-seg--after", after.Entries.Single().Id);
        Assert.Equal(total + 1, after.Entries.Single().Seq);
        Assert.True(after.Entries.Single().DateAdded > read.CompleteThrough);
    }
}
