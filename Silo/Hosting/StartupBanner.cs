using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ThreatGraph.Silo.Hosting;

/// <summary>Tells the person at the terminal where to go and what they are running on.</summary>
public static class StartupBanner
{
    public static void Print(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ThreatGraphSiloOptions>>().Value;
        var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var url = addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
        var log = app.Logger;
        if (options.Storage == "memory")
        {
            log.LogWarning("STORAGE IS IN MEMORY: everything ingested is lost when this process stops.");
            Console.WriteLine("\n  *** STORAGE IS IN MEMORY: everything ingested is lost when this process stops. ***\n");
        }
        log.LogInformation("ThreatGraph is up. GraphQL: {Url}/graphql   Ingest: POST {Url}/api/bundles   Object: GET {Url}/api/objects/{{id}}", url, url, url);
        Console.WriteLine($"  GraphQL:  {url}/graphql\n  Ingest:   POST {url}/api/bundles   (or: dotnet run --project Cli -- ingest --key API_KEY FILE_OR_FOLDER)\n");
    }
}
