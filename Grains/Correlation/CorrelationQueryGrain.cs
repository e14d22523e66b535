using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using QuikGraph;
using QuikGraph.Algorithms;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Grains.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Grains.Security;
using ThreatGraph.Grains.Traversal;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// Correlation reads: fetch a bounded subgraph (the cluster grain's linking edges, or node adjacency level by level),
/// then compute on it with QuikGraph. Limits give partial results flagged as such, never a hang.
/// </summary>
[StatelessWorker]
public sealed class CorrelationQueryGrain(IOptions<CorrelationOptions> correlation, IOptions<IngestOptions> ingest)
    : Grain, ICorrelationQueryGrain
{
    readonly CorrelationPolicy _policy = new(correlation.Value);
    readonly int _parallelism = Math.Max(1, ingest.Value.MaxParallelism);

    public async Task<LinkedCampaigns> LinkedCampaignsAsync(string campaignId, int maxDepth, int maxNodes, int first)
    {
        var registry = GrainFactory.GetGrain<IClusterRegistryGrain>(IClusterRegistryGrain.DefaultKey);
        var sub = await registry.GetLinkSubgraphAsync(campaignId, maxDepth, maxNodes);
        var visibleEdges = await VisibleLinks.FilterAsync(GrainFactory, sub.Edges, _parallelism);
        if (visibleEdges.Count == 0)
        {
            return new LinkedCampaigns(campaignId, sub.ClusterId, [], sub.Partial, sub.PartialReason);
        }

        // Strongest path = shortest under cost −ln(weight): its strength is the product of its edges' weights.
        var graph = new UndirectedGraph<string, TaggedEdge<string, SubgraphEdge>>(allowParallelEdges: true);
        foreach (var e in visibleEdges)
        {
            graph.AddVerticesAndEdge(new TaggedEdge<string, SubgraphEdge>(e.SourceId, e.TargetId, e));
        }
        var paths = graph.ShortestPathsDijkstra(e => -Math.Log(Math.Max(1e-6, _policy.Weight(e.Tag.Kind))), campaignId);
        var links = new List<CampaignLink>();
        foreach (var v in graph.Vertices)
        {
            if (v == campaignId || !v.StartsWith("campaign--", StringComparison.Ordinal) || !paths(v, out var path))
            {
                continue;
            }
            var edges = path.Select(e => e.Tag).ToList();
            var nodes = new List<string> { campaignId };
            foreach (var e in edges)
            {
                nodes.Add(e.SourceId == nodes[^1] ? e.TargetId : e.SourceId);
            }
            var strength = edges.Aggregate(1.0, (s, e) => s * _policy.Weight(e.Kind));
            links.Add(new CampaignLink(v, Math.Round(strength, 6), nodes, edges));
        }
        var ordered = links.OrderByDescending(l => l.Strength).ThenBy(l => l.PathEdges.Count).ThenBy(l => l.CampaignId, StringComparer.Ordinal)
            .Take(first).ToList();
        return new LinkedCampaigns(campaignId, sub.ClusterId, ordered, sub.Partial, sub.PartialReason);
    }

    public async Task<ClusterView?> ClusterAsync(string nodeId, int maxNodes)
    {
        var registry = GrainFactory.GetGrain<IClusterRegistryGrain>(IClusterRegistryGrain.DefaultKey);
        var system = await registry.GetClusterAsync(nodeId, 0, 0);
        if (system is null || CallerContext.Current.IsSystem)
        {
            return system is null ? null : await registry.GetClusterAsync(nodeId, 0, maxNodes);
        }
        // The caller's cluster: the component of the node among the links the caller may see.
        var sub = await registry.GetLinkSubgraphAsync(nodeId, int.MaxValue, maxNodes);
        var members = VisibleLinks.ComponentOf(nodeId, await VisibleLinks.FilterAsync(GrainFactory, sub.Edges, _parallelism))
            .Order(StringComparer.Ordinal).ToList();
        var incidents = members.Where(x => CorrelationPolicy.TypeOf(x) == "incident").ToList();
        return new ClusterView(system.Id, members.Count, members,
            [.. members.Where(x => x.StartsWith("campaign--", StringComparison.Ordinal))],
            [.. members.Where(x => CorrelationPolicy.TypeOf(x) is "intrusion-set" or "threat-actor")],
            incidents, ClusterRegistryGrain.SeverityOf(incidents.Count));
    }

    public Task<PathResult> ShortestPathAsync(string fromId, string toId, int maxDepth, IReadOnlyList<string>? edgeKinds, int maxNodes) =>
        new PathSearch(GrainFactory, _parallelism, new EdgeQuery(Kinds: edgeKinds, Take: maxNodes), maxNodes).FindAsync(fromId, toId, maxDepth);
}
