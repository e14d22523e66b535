using ThreatGraph.Contracts.Index;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Indexing;

[GenerateSerializer, Alias("tg.IndexLayoutState")]
public sealed class IndexLayoutState
{
    /// <summary>The partition count the stored index and alias registry were written with; 0 before the first start.</summary>
    [Id(0)] public int Partitions { get; set; }
    [Id(1)] public bool LegacyMigrated { get; set; }
}

/// <summary>Remembers the layout (see <see cref="IIndexLayoutGrain"/>); the first silo to start records its count.</summary>
public sealed class IndexLayoutGrain([PersistentState("indexlayout", StorageNames.Graph)] IPersistentState<IndexLayoutState> state)
    : Grain, IIndexLayoutGrain
{
    public async Task<IndexLayout> ClaimAsync(int partitions)
    {
        if (state.State.Partitions == 0)
        {
            state.State.Partitions = partitions;
            await state.WriteStateAsync();
        }
        return new IndexLayout(state.State.Partitions, state.State.LegacyMigrated);
    }

    public async Task MarkLegacyMigratedAsync()
    {
        if (!state.State.LegacyMigrated)
        {
            state.State.LegacyMigrated = true;
            await state.WriteStateAsync();
        }
    }
}
