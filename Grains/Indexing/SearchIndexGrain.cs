using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Indexing;

/// <summary>
/// The search index's front (see <see cref="ISearchIndexGrain"/>): routes writes to partitions by
/// <see cref="IndexPartitioning"/>, and merges the partitions' answers. A page is exact: every partition returns its
/// first <c>Take</c> matches after the cursor in <see cref="IndexOrder"/>, so the first <c>Take</c> of their merge are
/// the first of the whole index; totals are sums of each partition's counts.
/// </summary>
[StatelessWorker]
[Reentrant] // no state of its own: interleaving is safe, and without it concurrent searches would queue behind one call per activation
public sealed class SearchIndexGrain(IOptions<IndexOptions> options) : Grain, ISearchIndexGrain
{
    readonly int _partitions = options.Value.Partitions;

    public async Task UpsertAsync(IReadOnlyList<IndexEntry> entries)
    {
        var calls = entries.GroupBy(e => IndexPartitioning.PartitionOf(e.Id, _partitions))
            .Select(g => Partition(g.Key).UpsertAsync([.. g]));
        await Task.WhenAll(calls);
    }

    public async Task<IndexPage> SearchAsync(IndexQuery query)
    {
        var slices = await Task.WhenAll(All().Select(p => p.SearchAsync(query)));
        var take = Math.Max(0, query.Take);
        var ids = slices.SelectMany(s => s.Ids).Order(IndexOrder.Instance).Take(take).ToList();
        var total = slices.Sum(s => s.TotalCount);
        var before = slices.Sum(s => s.Before);
        return new IndexPage(ids, total, before, total - before > ids.Count);
    }

    public async Task<IReadOnlyList<IndexTypeCount>> TypeCountsAsync(bool includeRevoked)
    {
        var counts = await Task.WhenAll(All().Select(p => p.TypeCountsAsync(includeRevoked)));
        return [.. counts.SelectMany(c => c).GroupBy(c => c.Type, StringComparer.Ordinal)
            .Select(g => new IndexTypeCount(g.Key, g.Sum(c => c.Count)))
            .OrderBy(c => c.Type, StringComparer.Ordinal)];
    }

    IIndexPartitionGrain Partition(int p) => GrainFactory.GetGrain<IIndexPartitionGrain>(p);

    IEnumerable<IIndexPartitionGrain> All() => Enumerable.Range(0, _partitions).Select(Partition);
}
