using Orleans.Configuration;
using Orleans.TestingHost;
using ThreatGraph.Grains.Correlation;

namespace ThreatGraph.Grains.Tests;

/// <summary>One in-process Orleans cluster (one silo, memory storage) shared by the tests of the collection.
/// Tests use their own ids so they do not see each other's grains.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Graph);
            silo.AddMemoryGrainStorage(StorageNames.PubSub);
            silo.AddMemoryStreams(StorageNames.Streams);
            silo.Services.AddThreatGraphCorrelation();
            // Deadlocks (a cycle of waiting between grains) must fail fast, not after 30 s.
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(20));
        });
        builder.ConfigureClient(client => client.AddMemoryStreams(StorageNames.Streams));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
