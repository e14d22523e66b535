using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Grains.Placement;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Grains.Taxii;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Taxii;

namespace ThreatGraph.Grains.Hosting;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>What the grains need from the silo's container: ingest options, the community's access policy, and the
    /// placements (nodes by id, per-silo grains by slot), the search index and TAXII log layouts (validated at start, checked against storage once the silo is active).</summary>
    public static IServiceCollection AddThreatGraphGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.Section));
        services.AddOptions<CommunityOptions>().Bind(configuration.GetSection(CommunityOptions.Section));
        services.AddSingleton(sp => new AccessPolicy(sp.GetRequiredService<IOptions<CommunityOptions>>().Value));
        services.AddThreatGraphIndex(configuration);
        services.AddThreatGraphPlacement();
        services.AddOptions<TaxiiLogOptions>().Bind(configuration.GetSection(TaxiiLogOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TaxiiLogOptions>, TaxiiLogOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TaxiiLogWriter>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, TaxiiLogLayoutCheck>();
        return services;
    }

    sealed class TaxiiLogOptionsValidator : IValidateOptions<TaxiiLogOptions>
    {
        public ValidateOptionsResult Validate(string? name, TaxiiLogOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
