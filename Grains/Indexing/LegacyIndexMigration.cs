using Microsoft.Extensions.Logging;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Grains.Indexing;

/// <summary>
/// Moves a search index and alias registry stored before partitioning (per-type index grains, the type catalog, the
/// single alias registry) into the partitions, once per storage (see <see cref="Hosting.IndexLayoutCheck"/>).
/// Idempotent: entries keep their revisions (a partition keeps the newest) and aliases are registered again, so a
/// migration interrupted by a crash simply runs again at the next start. The old states are read, never deleted
/// (blobs <c>catalog-*</c>, <c>typeindex-*</c>, <c>aliases-*</c>; delete them by hand once satisfied). Entries
/// written before exact-match keys existed have none until their objects are sent again (an unchanged object re-sends
/// its entry, which then brings its keys).
/// </summary>
public static class LegacyIndexMigration
{
    const int Chunk = 2_000;

    public static async Task<(int Entries, int Aliases)> RunAsync(IGrainFactory grains, ILogger log)
    {
        var index = grains.GetGrain<ISearchIndexGrain>(0);
        var entries = 0;
        foreach (var type in await grains.GetGrain<ILegacyCatalogGrain>(ILegacyCatalogGrain.Key).GetTypesAsync())
        {
            var legacy = grains.GetGrain<ILegacyTypeIndexGrain>(type);
            for (var skip = 0; ; skip += Chunk)
            {
                var chunk = await legacy.ReadAsync(skip, Chunk);
                if (chunk.Count == 0)
                {
                    break;
                }
                await index.UpsertAsync(chunk);
                entries += chunk.Count;
            }
        }
        var aliases = await grains.GetGrain<ILegacyAliasRegistryGrain>(ILegacyAliasRegistryGrain.Key).ReadAsync();
        var registry = grains.GetGrain<IAliasRegistryGrain>(IAliasRegistryGrain.DefaultKey);
        foreach (var chunk in aliases.Chunk(Chunk))
        {
            await registry.RegisterAsync(chunk.ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal));
        }
        if (entries > 0 || aliases.Count > 0)
        {
            log.LogWarning("Moved the search index stored before partitioning into {Partitions}: {Entries} entries, {Aliases} aliases",
                IndexOptions.PartitionsKey, entries, aliases.Count);
        }
        return (entries, aliases.Count);
    }
}
