using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Grains.Correlation;

/// <summary>A sealed segment of an alias partition (key <c>{partition}/{generation}/{n}</c>): written once, read when
/// the partition activates, cleared when a compaction replaces its generation.</summary>
[Alias("tg.IAliasSegmentGrain")]
public interface IAliasSegmentGrain : IGrainWithStringKey
{
    [Alias("Seal")]
    Task SealAsync(IReadOnlyList<AliasRecord> records);

    [Alias("Get")]
    Task<IReadOnlyList<AliasRecord>> GetAsync();

    [Alias("Clear")]
    Task ClearAsync();
}

[GenerateSerializer, Alias("tg.AliasSegmentState")]
public sealed class AliasSegmentState
{
    [Id(0)] public List<AliasRecord> Records { get; set; } = [];
}

/// <summary>Deactivates after each call: the partition keeps the records in memory, the segment need not.</summary>
public sealed class AliasSegmentGrain(
    [PersistentState("aliassegment", StorageNames.Graph)] IPersistentState<AliasSegmentState> state) : Grain, IAliasSegmentGrain
{
    public async Task SealAsync(IReadOnlyList<AliasRecord> records)
    {
        state.State.Records = [.. records];
        await state.WriteStateAsync();
        DeactivateOnIdle();
    }

    public Task<IReadOnlyList<AliasRecord>> GetAsync()
    {
        DeactivateOnIdle();
        return Task.FromResult<IReadOnlyList<AliasRecord>>(state.State.Records);
    }

    public async Task ClearAsync()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
