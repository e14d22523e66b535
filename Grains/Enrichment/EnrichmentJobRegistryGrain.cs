using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Enrichment;

namespace ThreatGraph.Grains.Enrichment;

[GenerateSerializer, Alias("tg.EnrichmentJobRegistryState")]
public sealed class EnrichmentJobRegistryState
{
    [Id(0)] public List<string> Names { get; set; } = [];
}

/// <summary>The names of the registered jobs (see <see cref="IEnrichmentJobRegistryGrain"/>); a job is added by its own
/// grain once its registration was accepted.</summary>
public sealed class EnrichmentJobRegistryGrain(
    [PersistentState("enrichmentjobs", StorageNames.Graph)] IPersistentState<EnrichmentJobRegistryState> state)
    : Grain, IEnrichmentJobRegistryGrain
{
    public async Task AddAsync(string name)
    {
        if (!state.State.Names.Contains(name))
        {
            state.State.Names.Add(name);
            state.State.Names.Sort(StringComparer.Ordinal);
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Names]);
}
