using ThreatGraph.Grains.Index;

namespace ThreatGraph.Grains.Indexing;

[GenerateSerializer, Alias("tg.CatalogState")]
public sealed class CatalogState
{
    [Id(0)] public SortedSet<string> Types { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The STIX types present in the graph, so that counts and search can fan out to the type indexes.</summary>
public sealed class CatalogGrain([PersistentState("catalog", StorageNames.Graph)] IPersistentState<CatalogState> state)
    : Grain, ICatalogGrain
{
    public const string Key = "catalog";

    public async Task AddTypesAsync(IReadOnlyList<string> types)
    {
        var before = state.State.Types.Count;
        state.State.Types.UnionWith(types);
        if (state.State.Types.Count != before)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> GetTypesAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Types]);
}
