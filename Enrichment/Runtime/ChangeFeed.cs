using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Enrichment;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Enrichment.Runtime;

/// <summary>
/// New and changed objects, read from the default TAXII collection's arrival log (every version any ingest path stored,
/// partitioned by id, with a dense sequence number per partition). A job's position is one sequence number per
/// partition (<see cref="EnrichmentCheckpoint"/>); what is read after it is enriched and then the position is stored,
/// so a host that stops mid-pass reads that pass again (which rewrites the same deterministic ids: nothing new).
/// </summary>
public sealed class ChangeFeed(IGrainFactory grains, IOptions<TaxiiLogOptions> layout)
{
    readonly int _partitions = layout.Value.LogPartitions;

    /// <summary>Checks that the log has the partition count this host was configured with (Taxii:LogPartitions).</summary>
    public async Task EnsureLayoutAsync()
    {
        var recorded = await grains.GetGrain<ITaxiiCollectionLogGrain>(TaxiiCollections.DefaultId).EnsureLayoutAsync(_partitions);
        if (recorded.Error is { } error)
        {
            throw new InvalidOperationException($"{TaxiiLogOptions.PartitionsKey}: {error}");
        }
    }

    /// <summary>Up to <paramref name="max"/> ids of objects of <paramref name="types"/> that arrived after the checkpoint,
    /// the checkpoint after them, and how many log entries remain after that (the lag).</summary>
    public async Task<FeedBatch> ReadAsync(EnrichmentCheckpoint checkpoint, IReadOnlyList<string> types, int max)
    {
        var perPartition = Math.Max(1, max / _partitions);
        var pages = await Task.WhenAll(Enumerable.Range(0, _partitions).Select(async p =>
        {
            var partition = grains.GetGrain<ITaxiiLogPartitionGrain>(TaxiiLogPartitioning.KeyOf(TaxiiCollections.DefaultId, _partitions, p));
            var page = await partition.ReadAsync(new TaxiiLogQuery(checkpoint.Of(p), null, null, types, null, ["all"], perPartition));
            var count = await partition.CountAsync();
            return (Page: page, Next: Math.Max(checkpoint.Of(p), page.ScannedTo), Count: count);
        }));
        var ids = pages.SelectMany(p => p.Page.Entries.Select(e => e.Id)).Distinct(StringComparer.Ordinal).ToList();
        return new FeedBatch(ids, new EnrichmentCheckpoint([.. pages.Select(p => p.Next)]), pages.Sum(p => Math.Max(0, p.Count - p.Next)));
    }
}
