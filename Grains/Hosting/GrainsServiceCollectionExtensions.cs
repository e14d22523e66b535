using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Grains.Security;

namespace ThreatGraph.Grains.Hosting;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>What the grains need from the silo's container: ingest options, the community's access policy, and the
    /// search index layout (checked at start-up).</summary>
    public static IServiceCollection AddThreatGraphGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.Section));
        services.AddOptions<CommunityOptions>().Bind(configuration.GetSection(CommunityOptions.Section));
        services.AddSingleton(sp => new AccessPolicy(sp.GetRequiredService<IOptions<CommunityOptions>>().Value));
        services.AddThreatGraphIndex(configuration);
        return services;
    }
}
