using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Stix.Warninglists;

namespace ThreatGraph.Grains.Correlation;

public static class CorrelationServiceCollectionExtensions
{
    /// <summary>Correlation services for a silo: options (section "Correlation", validated at start), the policy, and the
    /// MISP warninglists, loaded (and logged) at start-up.</summary>
    public static IServiceCollection AddThreatGraphCorrelation(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<CorrelationOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(CorrelationOptions.Section));
        }
        options.ValidateOnStart();
        services.TryAddSingleton<IValidateOptions<CorrelationOptions>, CorrelationOptionsValidator>();
        var severity = services.AddOptions<Severity.SeverityOptions>();
        if (configuration is not null)
        {
            severity.Bind(configuration.GetSection(Severity.SeverityOptions.Section));
        }
        severity.ValidateOnStart();
        services.TryAddSingleton<IValidateOptions<Severity.SeverityOptions>, SeverityOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new CorrelationPolicy(sp.GetRequiredService<IOptions<CorrelationOptions>>().Value));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<CorrelationOptions>>().Value;
            return WarninglistLoader.Load(o.WarninglistsPath, o.BuiltinWarninglists, sp.GetRequiredService<ILoggerFactory>().CreateLogger("ThreatGraph.Correlation"));
        });
        services.AddHostedService<WarninglistPreloader>();
        services.TryAddSingleton<WatchedStreams>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<WatchedStreams>());
        return services;
    }

    sealed class CorrelationOptionsValidator : IValidateOptions<CorrelationOptions>
    {
        public ValidateOptionsResult Validate(string? name, CorrelationOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }

    sealed class SeverityOptionsValidator : IValidateOptions<Severity.SeverityOptions>
    {
        public ValidateOptionsResult Validate(string? name, Severity.SeverityOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }

    /// <summary>Loads the warninglists when the host starts, so the log says at once which lists are in force.</summary>
    sealed class WarninglistPreloader(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<Warninglists>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
