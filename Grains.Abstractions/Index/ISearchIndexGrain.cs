using Orleans.Concurrency;

namespace ThreatGraph.Contracts.Index;

/// <summary>
/// The search index as one service (a stateless worker on the calling silo, key 0): writes go to the hash partitions
/// that hold them, one call per touched partition; reads are scatter-gather over every partition, one call each, in
/// parallel, and answer for the caller in <see cref="Security.CallerContext"/> (each partition filters by the access
/// policy before counting).
/// </summary>
[Alias("tg.ISearchIndexGrain")]
public interface ISearchIndexGrain : IGrainWithIntegerKey
{
    [Alias("Upsert")]
    Task UpsertAsync(IReadOnlyList<IndexEntry> entries);

    /// <summary>A page in <see cref="IndexOrder"/>: every partition's first <see cref="IndexQuery.Take"/> matches after the
    /// cursor, merged, with the exact total.</summary>
    [ReadOnly, Alias("Search")]
    Task<IndexPage> SearchAsync(IndexQuery query);

    /// <summary>Per STIX type, how many objects the caller may see (types with none left out), in ordinal type order.</summary>
    [ReadOnly, Alias("TypeCounts")]
    Task<IReadOnlyList<IndexTypeCount>> TypeCountsAsync(bool includeRevoked);
}
