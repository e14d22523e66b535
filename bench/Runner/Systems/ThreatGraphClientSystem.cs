using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Grains.Security;
using ThreatGraph.Grains.Traversal;

namespace ThreatGraph.Bench.Runner.Systems;

/// <summary>ThreatGraph through an external Orleans client (what enrichment jobs get): grain calls over the silo's
/// gateway port, no HTTP and no GraphQL.</summary>
public sealed class ThreatGraphClientSystem : IGraphSystem, IAsyncDisposable
{
    readonly IHost _host;
    readonly IClusterClient _client;

    ThreatGraphClientSystem(IHost host)
    {
        _host = host;
        _client = host.Services.GetRequiredService<IClusterClient>();
    }

    public static async Task<ThreatGraphClientSystem> ConnectAsync(int gatewayPort, string serviceId, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(c => c.UseLocalhostClustering(gatewayPort, serviceId, clusterId));
        var host = builder.Build();
        await host.StartAsync();
        return new ThreatGraphClientSystem(host);
    }

    /// <summary>Enrichment jobs call grains as an organisation member: the identity travels in RequestContext.</summary>
    static readonly CallerIdentity Analyst = new("jp-nisc", "jp-nisc/bench", "bench", ["analyst", "ingest"]);

    public string Name => "ThreatGraph (Orleans client)";
    public bool IsThreatGraph => true;

    public string? Unsupported(Capability capability) => capability switch
    {
        Capability.ShortestPath or Capability.LinkedCampaigns or Capability.Subscription => "n/a (not built yet: issue 3)",
        _ => null,
    };

    public async Task<string?> LookupAsync(string id, CancellationToken ct)
    {
        CallerContext.Set(Analyst);
        var view = await _client.GetNode(id).GetViewAsync();
        return view is null || view.IsPlaceholder ? null : view.Type;
    }

    public async Task<int> TwoHopAsync(string id, CancellationToken ct)
    {
        CallerContext.Set(Analyst);
        var subgraph = await _client.GetGrain<ITraversalGrain>(0).NeighborhoodAsync(new NeighborhoodRequest(id, 2, null, Limits.NeighbourhoodNodes));
        return subgraph.Distances.Count - 1;
    }

    public Task<int?> ShortestPathAsync(string a, string b, CancellationToken ct) => throw new NotSupportedException(Unsupported(Capability.ShortestPath));

    public Task<IReadOnlyCollection<string>> LinkedCampaignsAsync(string campaignId, CancellationToken ct) =>
        throw new NotSupportedException(Unsupported(Capability.LinkedCampaigns));

    public async Task IngestUnitAsync(DeltaUnit unit, CancellationToken ct)
    {
        CallerContext.Set(Analyst);
        var entries = unit.ObjectJson.Select((json, i) => new IngestEntry(i, $"$.objects[{i}]", json)).ToList();
        var report = await _client.GetGrain<IIngestGrain>(0).IngestAsync(new IngestRequest(null, entries));
        if (report.Totals.Rejected > 0) throw new InvalidOperationException("ingest rejected an object");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
