using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Enrichment.Hosting;
using ThreatGraph.Enrichment.Runtime;
using ThreatGraph.GraphApi.Tests;

namespace ThreatGraph.Enrichment.Tests;

/// <summary>The real service (silo and gateway) on a test server, with enrichment runtimes that call its grains as the
/// host process does, in process (<see cref="Runtime"/>) or as a separate Orleans client (<see cref="GatewayPort"/>).</summary>
public class EnrichmentHost : ApiFactory
{
    /// <summary>jp-nisc's STIX identity (Silo/appsettings.json, Community:Organisations:jp-nisc:IdentityIds).</summary>
    public const string JpIdentity = "identity--4b6304f6-9562-4168-bf41-99ea1fb201b0";
    public const string UsIdentity = "identity--ad698621-c12a-48e0-91c4-8b36d369df67";
    public const string JpEnrichment = "jp-nisc/enrichment";

    public int GatewayPort { get; } = FreePort();
    public string ClusterId { get; } = "test-" + Guid.NewGuid().ToString("N");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Orleans:GatewayPort", GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:ClusterId", ClusterId);
    }

    public IGrainFactory Grains
    {
        get
        {
            _ = Server; // starts the host
            return Services.GetRequiredService<IGrainFactory>();
        }
    }

    /// <summary>The settings of a jp-nisc enrichment member, quick to give up (tests of failure need no long waits).</summary>
    public static Dictionary<string, string?> JpSettings() => new()
    {
        ["Enrichment:Org"] = "jp-nisc",
        ["Enrichment:Member"] = JpEnrichment,
        ["Enrichment:Roles:0"] = "enrichment",
        ["Enrichment:IdentityId"] = JpIdentity,
        ["Enrichment:TimeoutSeconds"] = "2",
        ["Enrichment:MaxAttempts"] = "2",
        ["Enrichment:RetryDelaySeconds"] = "0.01",
        ["Enrichment:PollSeconds"] = "0.2",
    };

    /// <summary>An enrichment runtime over this service's grains running <paramref name="jobs"/> (the built-in ones when none).</summary>
    public ServiceProvider Runtime(Dictionary<string, string?>? settings = null, params IEnricher[] jobs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? JpSettings()).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(Grains).AddEnrichmentRuntime(configuration);
        if (jobs.Length == 0)
        {
            services.AddBuiltinEnrichers();
        }
        foreach (var job in jobs)
        {
            services.AddSingleton(job);
        }
        return services.BuildServiceProvider();
    }

    /// <summary>Registers the runtime's jobs, then runs their passes until the change feed and the requests are drained.</summary>
    public static async Task DrainAsync(ServiceProvider runtime)
    {
        var passes = runtime.GetRequiredService<EnrichmentPasses>();
        foreach (var job in runtime.GetRequiredService<EnrichmentJobSet>().Active)
        {
            await passes.RegisterAsync(job);
            for (var round = 0; await passes.RunOnceAsync(job, default); round++)
            {
                Assert.True(round < 1000, $"{job.Name}: the change feed did not drain");
            }
        }
    }

    /// <summary>The relationship a job derives between two objects, as the caller sees it (null: hidden or absent).</summary>
    public async Task<JsonObject?> ObjectAsync(string id, string apiKey = DevKeys.JpAnalyst, bool includeRevoked = false) =>
        (await DataAsync($"{{ object(id: \"{id}\", includeRevoked: {(includeRevoked ? "true" : "false")}) {{ id stix revoked }} }}", apiKey: apiKey))["object"] as JsonObject;

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
