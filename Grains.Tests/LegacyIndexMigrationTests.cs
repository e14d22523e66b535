using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using Orleans.TestingHost;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Grains.Indexing;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix.Markings;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Grains.Tests;

/// <summary>Data stored by the per-type indexes and the single alias registry of before partitioning is moved into
/// the partitions: the old states are written to storage as the old grains wrote them, then migrated.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LegacyIndexMigrationTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Old_type_indexes_and_aliases_are_found_in_the_partitions_after_the_migration_and_again_after_a_second_run()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var type = $"x-legacy-{tag}";
        var access = new AccessDescriptor(TlpLevel.Green, "jp-nisc", "jp-nisc/analyst1", []);
        var entries = Enumerable.Range(0, 2_500).Select(i =>
            new IndexEntry(Stix.NewId(type), 3, [new IndexedReport($"legacy {tag} {i}", false, access)])).ToList();
        var alias = Stix.NewId("ipv4-addr");
        var canonical = Stix.NewId("ipv4-addr");

        var storage = ((InProcessSiloHandle)fixture.Cluster.Silos[0]).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Graph);
        await WriteAsync(storage, "catalog", "catalog", "catalog", new LegacyCatalogState { Types = new(StringComparer.Ordinal) { type } });
        await WriteAsync(storage, "typeindex", type, "typeindex", new LegacyTypeIndexState { Entries = entries });
        await WriteAsync(storage, "aliasregistry", "observables", "aliases",
            new LegacyAliasRegistryState { Canonical = new() { [alias] = canonical } });

        var grains = fixture.Grains;
        Assert.True((await LegacyIndexMigration.RunAsync(grains, NullLogger.Instance)).Entries >= entries.Count);
        await AssertMigratedAsync();
        await LegacyIndexMigration.RunAsync(grains, NullLogger.Instance); // a second run (a crash before it was recorded) changes nothing
        await AssertMigratedAsync();

        // Old entries have no exact-match keys: the same revision sent again with keys (an unchanged object re-sent) brings them.
        var keyed = entries[0] with { Reports = [entries[0].Reports[0] with { Keys = [$"LK-{tag}"] }] };
        await grains.GetGrain<ISearchIndexGrain>(0).UpsertAsync([keyed]);
        var byKey = await grains.GetGrain<ISearchIndexGrain>(0).SearchAsync(new IndexQuery(null, $"lk-{tag}", false, null, 10));
        Assert.Equal(keyed.Id, Assert.Single(byKey.Ids));

        async Task AssertMigratedAsync()
        {
            var page = await grains.GetGrain<ISearchIndexGrain>(0).SearchAsync(new IndexQuery([type], $"legacy {tag}", false, null, 10));
            Assert.Equal(entries.Count, page.TotalCount);
            Assert.Equal(entries.Select(e => e.Id).Order(IndexOrder.Instance).Take(10), page.Ids);
            var resolved = await grains.GetGrain<IAliasRegistryGrain>(IAliasRegistryGrain.DefaultKey).ResolveAsync([alias]);
            Assert.Equal(canonical, resolved[alias]);
        }
    }

    static Task WriteAsync<T>(IGrainStorage storage, string grainType, string key, string stateName, T state) =>
        storage.WriteStateAsync(stateName, GrainId.Create(grainType, key), new GrainState<T>(state));
}
