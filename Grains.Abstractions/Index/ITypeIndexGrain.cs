using Orleans.Concurrency;

using ThreatGraph.Grains.Security;

namespace ThreatGraph.Grains.Index;

/// <summary>An object as the type index knows it, as its node holds it: one report per contributing organisation (an
/// observable reported by several), each with its current name, revocation and access, so that counting, listing
/// and text search consider only the reports the caller may see.</summary>
/// <param name="Revision">The node's revision when it produced this entry: an index keeps the newest (concurrent
/// ingests may deliver entries out of order).</param>
/// <param name="Endpoints">For a relationship or sighting: who may see each endpoint it names; it is listed only to
/// readers who may see them all.</param>
[GenerateSerializer, Immutable, Alias("tg.IndexEntry.v2")]
public sealed record IndexEntry(
    [property: Id(0)] string Id,
    [property: Id(1)] long Revision,
    [property: Id(2)] IReadOnlyList<IndexedReport> Reports,
    [property: Id(3)] IReadOnlyList<IReadOnlyList<AccessDescriptor>>? Endpoints = null);

/// <summary>One organisation's report of an object, as of its current version.</summary>
[GenerateSerializer, Immutable, Alias("tg.IndexedReport")]
public sealed record IndexedReport(
    [property: Id(0)] string? Name,
    [property: Id(1)] bool Revoked,
    [property: Id(2)] AccessDescriptor Access);

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
