using Orleans.Concurrency;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Indexing;

// Readers of the index layout before partitioning (one type index per STIX type, a catalog of types, one alias
// registry), kept only so that LegacyIndexMigration can move stored data into the partitions once. Their grain types,
// state names and state aliases are the old ones: they read exactly what the old grains wrote, and never write.

[GenerateSerializer, Alias("tg.CatalogState")]
public sealed class LegacyCatalogState
{
    [Id(0)] public SortedSet<string> Types { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer, Alias("tg.TypeIndexState.v2")]
public sealed class LegacyTypeIndexState
{
    [Id(0)] public List<IndexEntry> Entries { get; set; } = [];
    [Id(1)] public Dictionary<string, int> PositionById { get; set; } = [];
}

[GenerateSerializer, Alias("tg.AliasRegistryState")]
public sealed class LegacyAliasRegistryState
{
    [Id(0)] public Dictionary<string, string> Canonical { get; set; } = [];
}

/// <summary>The old catalog of STIX types (key "catalog").</summary>
[Alias("tg.ILegacyCatalogGrain")]
public interface ILegacyCatalogGrain : IGrainWithStringKey
{
    public const string Key = "catalog";

    [ReadOnly, Alias("GetTypes")]
    Task<IReadOnlyList<string>> GetTypesAsync();
}

/// <summary>An old per-type index (key: the STIX type).</summary>
[Alias("tg.ILegacyTypeIndexGrain")]
public interface ILegacyTypeIndexGrain : IGrainWithStringKey
{
    [ReadOnly, Alias("Read")]
    Task<IReadOnlyList<IndexEntry>> ReadAsync(int skip, int take);
}

/// <summary>The old single alias registry (key "observables").</summary>
[Alias("tg.ILegacyAliasRegistryGrain")]
public interface ILegacyAliasRegistryGrain : IGrainWithStringKey
{
    public const string Key = "observables";

    [ReadOnly, Alias("Read")]
    Task<IReadOnlyDictionary<string, string>> ReadAsync();
}

[GrainType("catalog")]
public sealed class LegacyCatalogGrain([PersistentState("catalog", StorageNames.Graph)] IPersistentState<LegacyCatalogState> state)
    : Grain, ILegacyCatalogGrain
{
    public Task<IReadOnlyList<string>> GetTypesAsync()
    {
        DeactivateOnIdle();
        return Task.FromResult<IReadOnlyList<string>>([.. state.State.Types]);
    }
}

[GrainType("typeindex")]
public sealed class LegacyTypeIndexGrain([PersistentState("typeindex", StorageNames.Graph)] IPersistentState<LegacyTypeIndexState> state)
    : Grain, ILegacyTypeIndexGrain
{
    public Task<IReadOnlyList<IndexEntry>> ReadAsync(int skip, int take)
    {
        var entries = state.State.Entries;
        var start = Math.Clamp(skip, 0, entries.Count);
        var page = entries.GetRange(start, Math.Clamp(take, 0, entries.Count - start));
        if (page.Count == 0)
        {
            DeactivateOnIdle();
        }
        return Task.FromResult<IReadOnlyList<IndexEntry>>(page);
    }
}

[GrainType("aliasregistry")]
public sealed class LegacyAliasRegistryGrain([PersistentState("aliases", StorageNames.Graph)] IPersistentState<LegacyAliasRegistryState> state)
    : Grain, ILegacyAliasRegistryGrain
{
    public Task<IReadOnlyDictionary<string, string>> ReadAsync()
    {
        DeactivateOnIdle();
        return Task.FromResult<IReadOnlyDictionary<string, string>>(state.State.Canonical);
    }
}
