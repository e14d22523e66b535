using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Lifecycle;

namespace ThreatGraph.Grains.Lifecycle;

public static class LifecycleServiceCollectionExtensions
{
    /// <summary>Indicator lifecycle for a silo: options (section "Lifecycle", validated at start) and its clock (the
    /// system's; tests register a fake one first). The silo also needs a reminder service (memory or Azure Table).</summary>
    public static IServiceCollection AddThreatGraphLifecycle(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<LifecycleOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(LifecycleOptions.Section));
        }
        options.ValidateOnStart();
        services.TryAddSingleton<IValidateOptions<LifecycleOptions>, Validator>();
        services.TryAddSingleton(new LifecycleClock(TimeProvider.System));
        return services;
    }

    sealed class Validator : IValidateOptions<LifecycleOptions>
    {
        public ValidateOptionsResult Validate(string? name, LifecycleOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
