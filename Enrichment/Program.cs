using Microsoft.Extensions.Hosting;
using ThreatGraph.Enrichment.Cli;
using ThreatGraph.Enrichment.Hosting;

if (args is ["backfill", ..])
{
    return await BackfillCommand.RunAsync(args[1..]);
}

var builder = EnrichmentHostBuilder.Create(args);
builder.AddThreatGraphEnrichmentHost();
await builder.Build().RunAsync();
return 0;
