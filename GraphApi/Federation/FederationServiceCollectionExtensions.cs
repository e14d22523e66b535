using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ThreatGraph.GraphApi.Federation;

public static class FederationServiceCollectionExtensions
{
    /// <summary>Federation settings (checked at start-up), the TAXII peer client and the background pull job (idle
    /// without peers). The provenance this deployment writes for its peers needs <c>Federation:Deployment</c> even then.</summary>
    public static IServiceCollection AddThreatGraphFederation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FederationOptions>().Bind(configuration.GetSection(FederationOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FederationOptions>, FederationOptionsValidator>();
        services.AddHttpClient(TaxiiPeerClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(60));
        services.AddSingleton<TaxiiPeerClient>();
        services.AddSingleton<PlainTaxiiPuller>();
        services.AddSingleton<FederationMetrics>();
        services.AddSingleton<FederationSync>();
        services.AddHostedService<FederationSyncService>();
        return services;
    }
}
