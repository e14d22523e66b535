using Microsoft.Extensions.Logging;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Grains.Taxii;

[GenerateSerializer, Alias("tg.TaxiiCollectionLogState")]
public sealed class TaxiiCollectionLogState
{
    /// <summary>Builds before partitioning: the entries after the sealed segments (the whole log in states written
    /// before segments existed). Empty once moved into the partitions.</summary>
    [Id(0)] public List<TaxiiLogEntry> Entries { get; set; } = [];
    /// <summary>Builds before partitioning: how many full segments (5,000 entries each) preceded them.</summary>
    [Id(1)] public int SealedSegments { get; set; }
    /// <summary>How many partitions the log is written in (0: not recorded yet).</summary>
    [Id(2)] public int Partitions { get; set; }
}

/// <summary>
/// The layout record of one collection's log (see <see cref="ITaxiiCollectionLogGrain"/>). It keeps the grain type and
/// state name of the single log that builds before partitioning kept here, so that their log is found and moved: on
/// the first <see cref="EnsureLayoutAsync"/> each entry goes, in order and with its date_added, to the partition of its
/// id; that is safe because every silo asks this grain at start-up, before it ingests or serves (a silo still running
/// an older build is not supported: stop the cluster, then start the new build).
/// </summary>
public sealed class TaxiiCollectionLogGrain(
    [PersistentState("taxiilog", StorageNames.Graph)] IPersistentState<TaxiiCollectionLogState> state,
    ILogger<TaxiiCollectionLogGrain> log) : Grain, ITaxiiCollectionLogGrain
{
    /// <summary>Segment size of the single log of earlier builds.</summary>
    public const int LegacySegmentSize = 5_000;

    public async Task<TaxiiLogLayout> EnsureLayoutAsync(int partitions)
    {
        var recorded = state.State.Partitions;
        if (recorded == partitions)
        {
            return new TaxiiLogLayout(recorded, null, 0);
        }
        var collection = this.GetPrimaryKeyString();
        if (recorded != 0)
        {
            return new TaxiiLogLayout(recorded, $"{TaxiiLogOptions.PartitionsKey} is {partitions}, but the TAXII log of collection " +
                $"{collection} is written in {recorded} partitions in this storage. Set {TaxiiLogOptions.PartitionsKey}={recorded} " +
                "(changing it needs the log re-partitioned, which is not built).", 0);
        }

        var legacy = new List<TaxiiLogEntry>();
        for (var i = 0; i < state.State.SealedSegments; i++)
        {
            legacy.AddRange(await GrainFactory.GetGrain<ITaxiiLogSegmentGrain>(ITaxiiLogSegmentGrain.KeyOf(collection, i)).GetAsync());
        }
        legacy.AddRange(state.State.Entries);
        foreach (var group in legacy.GroupBy(e => TaxiiLogPartitioning.PartitionOf(e.Id, partitions)))
        {
            var partition = GrainFactory.GetGrain<ITaxiiLogPartitionGrain>(TaxiiLogPartitioning.KeyOf(collection, partitions, group.Key));
            foreach (var chunk in group.Chunk(LegacySegmentSize))
            {
                await partition.ImportAsync(chunk);
            }
        }
        state.State = new TaxiiCollectionLogState { Partitions = partitions };
        await state.WriteStateAsync();
        if (legacy.Count > 0)
        {
            log.LogWarning("TAXII log of collection {Collection}: moved {Count} entries of the single log into {Partitions} partitions",
                collection, legacy.Count, partitions);
        }
        return new TaxiiLogLayout(partitions, null, legacy.Count);
    }
}
