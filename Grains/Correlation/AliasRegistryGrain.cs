namespace ThreatGraph.Grains.Correlation;

[GenerateSerializer, Alias("tg.AliasRegistryState")]
public sealed class AliasRegistryState
{
    [Id(0)] public Dictionary<string, string> Canonical { get; set; } = [];
}

/// <summary>Alias → canonical observable ids (see <see cref="IAliasRegistryGrain"/>). Written on every change.</summary>
public sealed class AliasRegistryGrain([PersistentState("aliases", StorageNames.Graph)] IPersistentState<AliasRegistryState> state)
    : Grain, IAliasRegistryGrain
{
    public async Task RegisterAsync(IReadOnlyDictionary<string, string> aliasToCanonical)
    {
        var changed = false;
        foreach (var (alias, canonical) in aliasToCanonical)
        {
            if (alias != canonical && (!state.State.Canonical.TryGetValue(alias, out var old) || old != canonical))
            {
                state.State.Canonical[alias] = canonical;
                changed = true;
            }
        }
        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyDictionary<string, string>> ResolveAsync(IReadOnlyList<string> ids)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (state.State.Canonical.TryGetValue(id, out var canonical))
            {
                result[id] = canonical;
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, string>>(result);
    }
}
