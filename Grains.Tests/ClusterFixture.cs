using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Grains.Hosting;
using ThreatGraph.Grains.Lifecycle;
using ThreatGraph.Grains.Placement;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Lifecycle;

namespace ThreatGraph.Grains.Tests;

/// <summary>One in-process Orleans cluster (one silo, memory storage) shared by the tests of the collection.
/// Tests use their own ids so they do not see each other's grains.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;
    /// <summary>The grain factory, with the caller set to the JP analyst for the calling test's flow.</summary>
    public IGrainFactory Grains
    {
        get
        {
            CallerContext.Set(JpAnalyst);
            return Cluster.Client;
        }
    }

    public const int ResponseTimeoutSeconds = 15;

    public static readonly CallerIdentity JpAnalyst = new("jp-nisc", "jp-nisc/analyst1", "jp-analyst", ["analyst", "ingest"]);

    public static readonly CommunityOptions Community = new()
    {
        Organisations = new(StringComparer.Ordinal)
        {
            ["jp-nisc"] = new OrganisationOptions { Name = "JP" },
            ["us-cisa"] = new OrganisationOptions { Name = "US", Clients = ["it-isac"] },
            ["it-isac"] = new OrganisationOptions { Name = "ISAC" },
        },
    };

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) => ConfigureSilo(silo));
        builder.ConfigureClient(client => client.AddMemoryStreams(StorageNames.Streams));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>The services a test silo has: memory storage through the Orleans serializer, correlation, index, placements.</summary>
    public static void ConfigureSilo(ISiloBuilder silo)
    {
        silo.Services.AddSingleton(new AccessPolicy(Community));
        // State goes through the Orleans binary serializer, as on Azure storage (the default JSON one cannot read
        // our records back: a test that deactivates grains would fail on reactivation).
        silo.AddMemoryGrainStorage(StorageNames.Graph, (OptionsBuilder<MemoryGrainStorageOptions> ob) =>
            ob.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
        silo.AddMemoryGrainStorage(StorageNames.PubSub);
        silo.AddMemoryStreams(StorageNames.Streams);
        silo.Services.AddThreatGraphCorrelation();
        silo.Services.AddThreatGraphLifecycle();
        silo.UseInMemoryReminderService();
        // The product ships no warninglists; the tests use MISP's from the shared test data.
        silo.Services.Configure<CorrelationOptions>(o => o.WarninglistsPath = ThreatGraph.TestSupport.SharedData.PathOf("misp/warninglists"));
        silo.Services.AddThreatGraphIndex();
        silo.Services.AddThreatGraphPlacement();
        // As in the product (Orleans:ResponseTimeoutSeconds): a cycle of waiting fails within this.
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(ResponseTimeoutSeconds));
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
