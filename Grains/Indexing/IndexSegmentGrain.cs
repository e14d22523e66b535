using ThreatGraph.Contracts.Index;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Indexing;

/// <summary>A sealed segment of a search-index partition (key <c>{partition}/{generation}/{n}</c>): written once, read
/// when the partition activates, cleared when a compaction replaces its generation.</summary>
[Alias("tg.IIndexSegmentGrain")]
public interface IIndexSegmentGrain : IGrainWithStringKey
{
    [Alias("Seal")]
    Task SealAsync(IReadOnlyList<IndexEntry> entries);

    [Alias("Get")]
    Task<IReadOnlyList<IndexEntry>> GetAsync();

    [Alias("Clear")]
    Task ClearAsync();
}

[GenerateSerializer, Alias("tg.IndexSegmentState")]
public sealed class IndexSegmentState
{
    [Id(0)] public List<IndexEntry> Entries { get; set; } = [];
}

/// <summary>Holds its entries only while asked: the partition keeps them in memory, so the segment deactivates after
/// each call rather than keeping a second copy.</summary>
public sealed class IndexSegmentGrain(
    [PersistentState("indexsegment", StorageNames.Graph)] IPersistentState<IndexSegmentState> state) : Grain, IIndexSegmentGrain
{
    public async Task SealAsync(IReadOnlyList<IndexEntry> entries)
    {
        state.State.Entries = [.. entries];
        await state.WriteStateAsync();
        DeactivateOnIdle();
    }

    public Task<IReadOnlyList<IndexEntry>> GetAsync()
    {
        DeactivateOnIdle();
        return Task.FromResult<IReadOnlyList<IndexEntry>>(state.State.Entries);
    }

    public async Task ClearAsync()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
