using Microsoft.Extensions.Options;
using Orleans.Configuration;
using ThreatGraph.Grains;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Grains.Hosting;

namespace ThreatGraph.Silo.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>Co-hosts an Orleans silo in this web application: localhost clustering and memory storage.</summary>
    public static WebApplicationBuilder AddThreatGraphSilo(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ThreatGraphSiloOptions.Section);
        builder.Services.AddOptions<ThreatGraphSiloOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddThreatGraphGrains(builder.Configuration);
        builder.Services.AddThreatGraphCorrelation(builder.Configuration);
        var options = section.Get<ThreatGraphSiloOptions>() ?? new ThreatGraphSiloOptions();
        Validate(options);

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            silo.AddMemoryGrainStorage(StorageNames.Graph);
            silo.AddMemoryGrainStorage(StorageNames.PubSub);
            silo.AddMemoryStreams(StorageNames.Streams);
        });
        return builder;
    }

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
