using Microsoft.Extensions.Hosting;
using ThreatGraph.Enrichment.Cli;
using ThreatGraph.Enrichment.Hosting;

if (args is ["backfill", ..])
{
    return await BackfillCommand.RunAsync(args[1..]);
}

// Content root = where the binaries and appsettings.json are, whatever the working directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddThreatGraphEnrichmentHost();
await builder.Build().RunAsync();
return 0;
