using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ThreatGraph.Enrichment.Hosting;

/// <summary>The host's builder: configuration from <c>enrichment.json</c> beside the binaries (not appsettings.json, which
/// is the silo's when both are built into one folder, as in the tests), then the usual appsettings, environment variables
/// (<c>Enrichment__Member</c>) and command line (<c>--Enrichment:Member=…</c>), each overriding the one before.</summary>
public static class EnrichmentHostBuilder
{
    public const string ConfigurationFile = "enrichment.json";

    public static HostApplicationBuilder Create(string[] args)
    {
        var configuration = new ConfigurationManager();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, ConfigurationFile), optional: true);
        return Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            Configuration = configuration,
        });
    }
}
