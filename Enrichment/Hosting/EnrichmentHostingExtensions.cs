using ThreatGraph.Enrichment.Reference;
using ThreatGraph.Enrichment.Reference.Domains;
using ThreatGraph.Enrichment.Reference.IpAsn;
using ThreatGraph.Stix.Warninglists;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Taxii;
using ThreatGraph.Enrichment.Builtin;
using ThreatGraph.Enrichment.Runtime;

namespace ThreatGraph.Enrichment.Hosting;

public static class EnrichmentHostingExtensions
{
    /// <summary>The enrichment host: <see cref="AddThreatGraphEnrichmentClient"/> and the loop that runs the jobs.</summary>
    public static HostApplicationBuilder AddThreatGraphEnrichmentHost(this HostApplicationBuilder builder)
    {
        builder.AddThreatGraphEnrichmentClient();
        builder.Services.AddHostedService<EnrichmentWorker>();
        return builder;
    }

    /// <summary>An Orleans client of the cluster (<see cref="ClusterConnectionOptions"/>), the runtime and the built-in jobs.</summary>
    public static HostApplicationBuilder AddThreatGraphEnrichmentClient(this HostApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(ClusterConnectionOptions.Section).Get<ClusterConnectionOptions>() ?? new ClusterConnectionOptions();
        Throw(cluster.Validate());
        builder.UseOrleansClient(client =>
        {
            if (cluster.IsAzure)
            {
                client.Configure<Orleans.Configuration.ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                });
                client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(cluster.AzureStorageConnectionString));
            }
            else
            {
                client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
            }
        });
        builder.Services.AddEnrichmentRuntime(builder.Configuration);
        builder.Services.AddBuiltinEnrichers();
        builder.Services.AddReferenceEnrichers();
        return builder;
    }

    /// <summary>Everything that runs jobs, given an <see cref="IGrainFactory"/> (the host's Orleans client, or a silo's
    /// own in tests): options validated now, with messages naming the key.</summary>
    public static IServiceCollection AddEnrichmentRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(EnrichmentOptions.Section).Get<EnrichmentOptions>() ?? new EnrichmentOptions();
        Throw(options.Validate());
        services.AddSingleton(Options.Create(options));
        services.AddOptions<TaxiiLogOptions>().Bind(configuration.GetSection(TaxiiLogOptions.Section));
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(JobIdentity.From(options));
        services.AddSingleton<EnrichmentMetrics>();
        services.AddSingleton<EnrichmentJobSet>();
        services.AddSingleton<EnrichmentRunner>();
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<EnrichmentPasses>();
        services.AddSingleton<Backfill>();
        return services;
    }

    /// <summary>Registers a job: the host runs every registered <see cref="IEnricher"/> (or those named in Enrichment:Jobs).</summary>
    public static IServiceCollection AddEnricher<T>(this IServiceCollection services) where T : class, IEnricher =>
        services.AddSingleton<IEnricher, T>();

    /// <summary>The jobs that ship with ThreatGraph and need no network.</summary>
    public static IServiceCollection AddBuiltinEnrichers(this IServiceCollection services) =>
        services.AddEnricher<AttackResolver>().AddEnricher<AliasReconciliation>();

    /// <summary>The jobs that read reference data shipped with ThreatGraph (pinned npm packages, Enrichment.Reference):
    /// IP → AS and country, host → registered domain, warninglist notes (the built-in lists). Each loads its data when
    /// the host starts it (the IP ranges take about a second and 22 MB).</summary>
    public static IServiceCollection AddReferenceEnrichers(this IServiceCollection services)
    {
        services.AddSingleton<IEnricher>(_ => new IpAsnEnricher(IpAsnDatabase.Shipped));
        services.AddSingleton<IEnricher>(_ => new RegisteredDomainEnricher(RegisteredDomains.Shipped));
        services.AddSingleton<IEnricher>(_ => new WarninglistEnricher(new Warninglists([.. BuiltinWarninglists.All()])));
        return services;
    }

    static void Throw(IEnumerable<string> errors)
    {
        var list = errors.ToList();
        if (list.Count > 0)
        {
            throw new OptionsValidationException("enrichment", typeof(EnrichmentOptions), list);
        }
    }
}
