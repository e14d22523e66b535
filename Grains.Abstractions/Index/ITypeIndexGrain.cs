using Orleans.Concurrency;

using ThreatGraph.Grains.Security;

namespace ThreatGraph.Grains.Index;

/// <summary>An object as the type index knows it: enough to count, list and search by text, and to tell who may see it
/// (several accesses for an observable reported by several organisations).</summary>
[GenerateSerializer, Immutable, Alias("tg.IndexEntry")]
public sealed record IndexEntry(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Name,
    [property: Id(2)] bool Revoked,
    [property: Id(3)] IReadOnlyList<string> Markings,
    [property: Id(4)] IReadOnlyList<AccessDescriptor>? Access = null);

[GenerateSerializer, Immutable, Alias("tg.IndexPage")]
public sealed record IndexPage([property: Id(0)] IReadOnlyList<IndexEntry> Items, [property: Id(1)] int TotalCount);

/// <summary>All objects of one STIX type (keyed by the type), in arrival order: counts, listing and text search.</summary>
[Alias("tg.ITypeIndexGrain")]
public interface ITypeIndexGrain : IGrainWithStringKey
{
    [Alias("Upsert")]
    Task UpsertAsync(IReadOnlyList<IndexEntry> entries);

    [ReadOnly, Alias("Count")]
    Task<int> CountAsync(bool includeRevoked);

    /// <summary>Entries whose id or name contains <paramref name="text"/> (case-insensitive; null matches all).</summary>
    [ReadOnly, Alias("Search")]
    Task<IndexPage> SearchAsync(string? text, bool includeRevoked, int skip, int take);
}

/// <summary>The set of STIX types the graph holds (one grain, key "catalog").</summary>
[Alias("tg.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithStringKey
{
    [Alias("AddTypes")]
    Task AddTypesAsync(IReadOnlyList<string> types);

    [ReadOnly, Alias("GetTypes")]
    Task<IReadOnlyList<string>> GetTypesAsync();
}
