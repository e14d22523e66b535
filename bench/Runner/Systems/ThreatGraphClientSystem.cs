using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ThreatGraph.Bench.Generator;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.Bench.Runner.Systems;

/// <summary>ThreatGraph through an external Orleans client (what enrichment jobs get): grain calls over the silo's
/// gateway port, no HTTP and no GraphQL; subscriptions are subscriptions to the silo's memory streams.</summary>
public sealed class ThreatGraphClientSystem : IGraphSystem, IAsyncDisposable
{
    readonly IHost _host;
    readonly IClusterClient _client;
    readonly CallerIdentity _caller;

    ThreatGraphClientSystem(IHost host, CallerIdentity caller)
    {
        _host = host;
        _client = host.Services.GetRequiredService<IClusterClient>();
        _caller = caller;
    }

    /// <param name="asSystem">Call as <see cref="CallerIdentity.System"/> (sees everything) instead of an organisation
    /// member: measures what the access policy costs.</param>
    public static async Task<ThreatGraphClientSystem> ConnectAsync(int gatewayPort, string serviceId, string clusterId, bool asSystem)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(c =>
        {
            c.UseLocalhostClustering(gatewayPort, serviceId, clusterId);
            c.AddMemoryStreams(StorageNames.Streams);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new ThreatGraphClientSystem(host, asSystem ? CallerIdentity.System : Analyst);
    }

    /// <summary>Enrichment jobs call grains as an organisation member: the identity travels in RequestContext.</summary>
    static readonly CallerIdentity Analyst = new("jp-nisc", "jp-nisc/bench", "bench", ["analyst", "ingest"]);

    /// <summary>As deep as GraphQL allows (CorrelationQueryFields.MaxLinkDepth). The longest planted chain (5 campaigns)
    /// is 10 hops end to end: 4 for the first link, 2 for each next (the linking indicator names both observables).</summary>
    const int LinkDepth = 12;

    static readonly string[] PathKinds = [.. EdgeKinds.Path];

    public string Name => _caller.IsSystem ? "ThreatGraph (Orleans client, system caller)" : "ThreatGraph (Orleans client)";
    public bool IsThreatGraph => true;

    /// <summary>The system caller measures reads only: it writes nothing an organisation would own.</summary>
    public string? Unsupported(Capability capability) =>
        _caller.IsSystem && capability is Capability.Ingest or Capability.Subscription ? "n/a (the system caller measures reads only)" : null;

    public async Task<string?> LookupAsync(string id, CancellationToken ct)
    {
        CallerContext.Set(_caller);
        var view = await _client.GetNode(id).GetViewAsync();
        return view is null || view.IsPlaceholder ? null : view.Type;
    }

    public async Task<int> TwoHopAsync(string id, CancellationToken ct)
    {
        // The node set, like the peers' DISTINCT query and the gateway's `nodes { id }`: edges are not asked for.
        CallerContext.Set(_caller);
        var subgraph = await _client.GetGrain<ITraversalGrain>(0).NeighborhoodAsync(new NeighborhoodRequest(id, 2, null, Limits.NeighbourhoodNodes, IncludeEdges: false));
        return subgraph.Distances.Count - 1;
    }

    public async Task<int?> ShortestPathAsync(string a, string b, CancellationToken ct)
    {
        CallerContext.Set(_caller);
        var path = await _client.GetGrain<ICorrelationQueryGrain>(0).ShortestPathAsync(a, b, Limits.MaxPathHops, PathKinds, Limits.TraversalNodes);
        return path.Found ? path.Nodes.Count - 1 : null;
    }

    public async Task<IReadOnlyCollection<string>> LinkedCampaignsAsync(string campaignId, CancellationToken ct)
    {
        CallerContext.Set(_caller);
        var linked = await _client.GetGrain<ICorrelationQueryGrain>(0).LinkedCampaignsAsync(campaignId, LinkDepth, Limits.TraversalNodes, 100);
        return [campaignId, .. linked.Links.Select(l => l.CampaignId)];
    }

    public async Task<IAsyncDisposable> SubscribeCampaignsAsync(IReadOnlyList<string> campaignIds, int perCampaign, CampaignWatch watch, CancellationToken ct) =>
        await StreamSubscribers.OpenAsync(_client, campaignIds, perCampaign, watch);

    public async Task IngestUnitAsync(DeltaUnit unit, CancellationToken ct)
    {
        CallerContext.Set(_caller);
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
