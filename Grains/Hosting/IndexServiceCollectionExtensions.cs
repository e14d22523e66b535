using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Hosting;

public static class IndexServiceCollectionExtensions
{
    /// <summary>Search index and alias registry layout: options (section "Index", validated at start) and the start-up
    /// check that refuses a partition count other than the one the stored data was written with.</summary>
    public static IServiceCollection AddThreatGraphIndex(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<IndexOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(IndexOptions.Section));
        }
        options.ValidateOnStart();
        services.TryAddSingleton<IValidateOptions<IndexOptions>, IndexOptionsValidator>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, IndexLayoutCheck>();
        return services;
    }

    sealed class IndexOptionsValidator : IValidateOptions<IndexOptions>
    {
        public ValidateOptionsResult Validate(string? name, IndexOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
