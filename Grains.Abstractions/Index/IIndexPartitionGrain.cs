using Orleans.Concurrency;

namespace ThreatGraph.Contracts.Index;

/// <summary>
/// One hash partition of the search index (key 0 … <see cref="IndexOptions.Partitions"/> − 1, see
/// <see cref="IndexPartitioning"/>): the entries of every type whose id hashes here, the newest revision of each.
/// Reads answer for the caller in <see cref="Security.CallerContext"/>: what it may not see is not counted.
/// </summary>
[Alias("tg.IIndexPartitionGrain")]
public interface IIndexPartitionGrain : IGrainWithIntegerKey
{
    [Alias("Upsert")]
    Task UpsertAsync(IReadOnlyList<IndexEntry> entries);

    /// <summary>
    /// Matches in <see cref="IndexOrder"/>. An entry matches when the text is blank, or its id or the name of a report
    /// the caller may see contains the text (case-insensitive), or the trimmed text equals (case-insensitive) an
    /// exact-match key of such a report.
    /// </summary>
    [ReadOnly, Alias("Search")]
    Task<IndexSlice> SearchAsync(IndexQuery query);

    /// <summary>Per type held here, how many entries the caller may see (types with none left out).</summary>
    [ReadOnly, Alias("TypeCounts")]
    Task<IReadOnlyList<IndexTypeCount>> TypeCountsAsync(bool includeRevoked);
}
