using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ThreatGraph.GraphApi.Ingest;

public static class IngestServiceCollectionExtensions
{
    /// <summary>The ingest service shared by REST, GraphQL and TAXII, its limits (section "Ingest", validated at
    /// start-up) and the per-organisation write quota.</summary>
    public static IServiceCollection AddThreatGraphIngest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngestQuotaOptions>().Bind(configuration.GetSection(IngestQuotaOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IngestQuotaOptions>, IngestQuotaOptionsValidator>();
        services.AddSingleton<WriteQuota>();
        services.AddSingleton<BundleIngestService>();
        return services;
    }
}
