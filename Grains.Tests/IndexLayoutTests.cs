using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using ThreatGraph.Grains.Hosting;
using ThreatGraph.Grains.Placement;
using ThreatGraph.Contracts.Index;
using ThreatGraph.TestSupport;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Tests;

/// <summary><c>Index:Partitions</c>: validated, recorded by the first silo on empty storage, and a silo started with
/// another count than the stored data's is refused with a message naming the setting.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IndexLayoutTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_check_passes_for_the_recorded_count_and_refuses_another_naming_the_setting()
    {
        await Check(IndexOptions.DefaultPartitions).CheckAsync(CancellationToken.None);
        var refused = await Assert.ThrowsAsync<IndexLayoutException>(() => Check(8).CheckAsync(CancellationToken.None));
        Assert.Equal(
            "Index:Partitions is 8, but the search index and alias registry in this storage were written with 16 partitions: "
            + "start with Index:Partitions=16 (changing the count of stored data is not supported; it would look for entries in the wrong partitions)",
            refused.Message);

        IndexLayoutCheck Check(int partitions) => new(fixture.Grains, Options.Create(new IndexOptions { Partitions = partitions }),
            NullLogger<IndexLayoutCheck>.Instance);
    }

    [Fact]
    public async Task A_silo_started_with_another_partition_count_than_the_stored_data_is_refused()
    {
        var partitions = 4;
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Graph, (OptionsBuilder<MemoryGrainStorageOptions> ob) =>
                ob.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
            silo.Services.AddThreatGraphIndex();
            silo.Services.AddThreatGraphPlacement();
            var configured = partitions; // what this silo starts with
            silo.Services.Configure<IndexOptions>(o => o.Partitions = configured);
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        Assert.Equal(new IndexLayout(4, LegacyMigrated: true), await cluster.Client.GetGrain<IIndexLayoutGrain>(IIndexLayoutGrain.Key).ClaimAsync(99));

        partitions = 4; // the same count joins
        await cluster.StartAdditionalSiloAsync();
        partitions = 6;
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => cluster.StartAdditionalSiloAsync());
        Assert.Contains("Index:Partitions is 6, but the search index and alias registry in this storage were written with 4 partitions",
            Flatten(refused), StringComparison.Ordinal);
        partitions = 0;
        refused = await Assert.ThrowsAnyAsync<Exception>(() => cluster.StartAdditionalSiloAsync());
        Assert.Contains("Index:Partitions must be between 1 and 4096, got 0", Flatten(refused), StringComparison.Ordinal);
    }

    [Fact]
    public void The_readme_configuration_table_has_the_setting_with_its_default()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md"));
        Assert.Contains($"| `{IndexOptions.PartitionsKey}` | `{IndexOptions.DefaultPartitions}` |", readme, StringComparison.Ordinal);
    }

    static string Flatten(Exception e) => e is AggregateException a
        ? string.Join("\n", a.Flatten().InnerExceptions.Select(Flatten))
        : e.Message + (e.InnerException is { } inner ? "\n" + Flatten(inner) : "");
}
