using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using ThreatGraph.Contracts;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Grains.Hosting;
using ThreatGraph.Grains.Lifecycle;
using ThreatGraph.Silo.Health;
using ThreatGraph.Silo.Storage;
using ThreatGraph.Silo.Telemetry;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Lifecycle;

namespace ThreatGraph.Silo.Hosting;

public static partial class SiloHostingExtensions
{
    /// <summary>Queues behind the "updates" stream provider in azure mode (one pulling agent each, spread over the silos).</summary>
    public const int StreamQueueCount = 4;

    /// <summary>How often the in-memory stream's pulling agents look for new events (memory mode). Orleans' 100 ms
    /// default is most of a subscriber's notification latency; 25 ms costs about 2% of a core when idle (measured:
    /// 6% → 8% of one core for an idle silo).</summary>
    public const int MemoryStreamPollMilliseconds = 25;

    /// <summary>
    /// Co-hosts an Orleans silo in this web application. <c>Orleans:Storage=memory</c> (default): localhost clustering,
    /// in-process grain storage, memory streams. <c>azure</c>: the connection string is checked and the storage
    /// services probed before Orleans starts (a wrong or unreachable one fails in seconds, naming the key), the
    /// grain-state table's layout checked (<see cref="StateTableLayout"/>), then Azure Table clustering, grain state in
    /// one Azure table with group commit, pub/sub state in Azure Table storage, Azure Queue streams.
    /// </summary>
    public static WebApplicationBuilder AddThreatGraphSilo(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ThreatGraphSiloOptions.Section);
        builder.Services.AddOptions<ThreatGraphSiloOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddThreatGraphGrains(builder.Configuration);
        builder.Services.AddThreatGraphCorrelation(builder.Configuration);
        builder.Services.AddThreatGraphLifecycle(builder.Configuration);
        var options = section.Get<ThreatGraphSiloOptions>() ?? new ThreatGraphSiloOptions();
        Validate(options);

        AzureStorageConnection? azure = null;
        if (options.IsAzure)
        {
            azure = AzureStorageConnection.Parse(options.AzureStorageConnectionString);
            if (!IPAddress.TryParse(options.AdvertisedIP, out _))
            {
                throw new StartupConfigurationException($"{ThreatGraphSiloOptions.Keys.AdvertisedIP} must be an IP address, not '{options.AdvertisedIP}'");
            }
            // Synchronously, before Orleans starts: otherwise a bad endpoint shows up as minutes of retries in clustering.
            azure.ProbeAsync(TimeSpan.FromSeconds(options.StorageProbeTimeoutSeconds)).GetAwaiter().GetResult();
            EnsureStateTableLayout(azure, options);
            builder.Services.AddSingleton(azure);
        }
        builder.Services.AddThreatGraphHealth();
        builder.Services.AddSingleton<IdleMemoryTrimmer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IdleMemoryTrimmer>());
        var telemetry = builder.AddThreatGraphTelemetry();

        builder.UseOrleans(silo =>
        {
            if (azure is null)
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                silo.AddInProcessGrainStorage(StorageNames.Graph);
                silo.AddInProcessGrainStorage(StorageNames.PubSub);
                silo.AddMemoryStreams(StorageNames.Streams, b =>
                {
                    b.ConfigurePullingAgent(ob => ob.Configure(o => o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(MemoryStreamPollMilliseconds)));
                    // Subscribers are live dashboards, never rewound: an event need not stay cached once delivered.
                    // Orleans keeps them 30 minutes by default, in 1 MB blocks that its pool never gives back (a `small`
                    // load left 6.4 GB of them; with this window and sampled event lists, 0.6 GB; a 10 s window measured
                    // the same 0.6 GB, so the window is kept at 30 s, which a slow subscriber is less likely to outrun).
                    b.ConfigureCacheEviction(ob => ob.Configure(o =>
                    {
                        o.DataMinTimeInCache = TimeSpan.FromSeconds(10);
                        o.DataMaxAgeInCache = TimeSpan.FromSeconds(30);
                    }));
                });
                silo.UseInMemoryReminderService(); // the lifecycle schedule's reminders, volatile like the rest of memory mode
            }
            else
            {
                silo.UseAzure(options, azure);
            }
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(options.ResponseTimeoutSeconds));
            // Memory is bounded by what is in use: idle activations go after Orleans:IdleMinutes, and under memory
            // pressure (80% of the machine's or container's memory) Orleans sheds activations down to 70%.
            silo.Configure<GrainCollectionOptions>(o =>
            {
                o.CollectionAge = TimeSpan.FromMinutes(options.IdleMinutes);
                o.EnableActivationSheddingOnMemoryPressure = true;
                o.MemoryUsageLimitPercentage = 80;
                o.MemoryUsageTargetPercentage = 70;
            });
            if (options.Kubernetes)
            {
                silo.UseKubernetesHosting();
            }
            if (options.Dashboard)
            {
                silo.AddDashboard();
            }
            if (telemetry)
            {
                silo.AddActivityPropagation();
            }
        });
        return builder;
    }

    /// <summary>Our in-process <see cref="IGrainStorage"/> under a provider name (see <see cref="InProcessGrainStorage"/>).</summary>
    public static ISiloBuilder AddInProcessGrainStorage(this ISiloBuilder silo, string name)
    {
        silo.Services.AddGrainStorage(name, (sp, _) => ActivatorUtilities.CreateInstance<InProcessGrainStorage>(sp));
        return silo;
    }

    static void UseAzure(this ISiloBuilder silo, ThreatGraphSiloOptions options, AzureStorageConnection azure)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedIP), options.SiloPort, options.GatewayPort,
            listenOnAnyHostAddress: options.Kubernetes);
        silo.UseAzureStorageClustering(o => o.TableServiceClient = azure.Tables);

        // Grain state: one row per state in one table, many grains' writes per entity group transaction (Azurite
        // takes ~650 small requests/s here, so a request per write capped ingest); states too large for a row go to
        // a blob the row names. Stored with the Orleans binary serializer ([Id]-based, version tolerant, about a
        // third of the JSON size).
        var stateTable = new StateTable(azure.Tables.GetTableClient(TableName(options.ServiceId)),
            azure.Blobs.GetBlobContainerClient(LargeStateContainerName(options.ServiceId)), options.StoragePartitions, new StorageStatistics());
        silo.Services.AddSingleton(stateTable);
        silo.Services.AddGrainStorage(StorageNames.Graph, (sp, _) => new GroupCommitGrainStorage(stateTable, sp.GetRequiredService<IGrainFactory>(),
            new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>()), sp.GetRequiredService<IGrainContextAccessor>(),
            sp.GetRequiredService<ILogger<GroupCommitGrainStorage>>()));
        silo.Services.AddHostedService<StorageStatisticsLogger>();
        // Stream subscriptions are small rows: Azure Table is enough.
        silo.AddAzureTableGrainStorage(StorageNames.PubSub, o =>
        {
            o.TableServiceClient = azure.Tables;
            o.TableName = "ThreatGraphPubSub";
        });
        // The lifecycle schedule's reminders (one per schedule bucket, not per indicator).
        silo.UseAzureTableReminderService(o => o.Configure(r =>
        {
            r.TableServiceClient = azure.Tables;
            r.TableName = "ThreatGraphReminders";
        }));
        silo.AddAzureQueueStreams(StorageNames.Streams, (OptionsBuilder<AzureQueueOptions> ob) => ob.Configure(o =>
        {
            o.QueueServiceClient = azure.Queues;
            o.QueueNames = [.. Enumerable.Range(0, StreamQueueCount).Select(i => $"{Lower(options.ServiceId)}-{StorageNames.Streams}-{i}")];
        }));
    }

    /// <summary>The blob container of the previous grain-state layout (one blob per grain state): start-up refuses a
    /// service whose state is still there (see <see cref="StateTableLayout"/>).</summary>
    public static string ContainerName(string serviceId) => BlobContainer(serviceId, "grains");

    /// <summary>Blob container for grain states too large for a table row: one per service id.</summary>
    public static string LargeStateContainerName(string serviceId) => BlobContainer(serviceId, "largestate");

    /// <summary>The grain-state table: one per service id, letters and digits only (Azure table names), starting with a letter.</summary>
    public static string TableName(string serviceId)
    {
        var letters = Lower(serviceId).Replace("-", "", StringComparison.Ordinal);
        var name = (char.IsAsciiLetter(letters[0]) ? letters : "t" + letters) + "grains";
        return name.Length > 63 ? name[..63] : name;
    }

    static string BlobContainer(string serviceId, string suffix)
    {
        var name = $"{Lower(serviceId)}-{suffix}";
        return name.Length > 63 ? name[..63].TrimEnd('-') : name;
    }

    static void EnsureStateTableLayout(AzureStorageConnection azure, ThreatGraphSiloOptions options)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2 * options.StorageProbeTimeoutSeconds));
        try
        {
            StateTableLayout.EnsureAsync(azure.Tables, azure.Blobs, TableName(options.ServiceId), LargeStateContainerName(options.ServiceId),
                ContainerName(options.ServiceId), options.StoragePartitions, cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException)
        {
            throw new StartupConfigurationException(
                $"{ThreatGraphSiloOptions.Keys.AzureStorageConnectionString}: preparing the grain-state table '{TableName(options.ServiceId)}' failed: {e.Message}", e);
        }
    }

    static string Lower(string s) => DashRuns().Replace(NotNameChar().Replace(s.ToLowerInvariant(), "-"), "-").Trim('-') is { Length: > 0 } n ? n : "tg";

    [GeneratedRegex("[^a-z0-9-]")]
    private static partial Regex NotNameChar();

    [GeneratedRegex("-{2,}")]
    private static partial Regex DashRuns();

    static void Validate(ThreatGraphSiloOptions options)
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(ThreatGraphSiloOptions.Section, typeof(ThreatGraphSiloOptions),
                results.Select(r => r.ErrorMessage ?? "invalid"));
        }
    }
}
