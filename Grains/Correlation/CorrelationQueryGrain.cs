using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using QuikGraph;
using QuikGraph.Algorithms;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Grains.Traversal;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// Correlation reads: fetch a bounded subgraph (the cluster grain's linking edges, or node adjacency level by level),
/// then compute on it with QuikGraph. Limits give partial results flagged as such, never a hang.
/// </summary>
[StatelessWorker]
[Reentrant] // no state of its own: without it a silo runs one read per core at a time, each awaiting its node reads
public sealed class CorrelationQueryGrain(IOptions<CorrelationOptions> correlation, IOptions<IngestOptions> ingest, AccessPolicy policy,
    Placement.SiloSlots slots)
    : Grain, ICorrelationQueryGrain
{
    readonly CorrelationPolicy _policy = new(correlation.Value);
    readonly int _parallelism = Math.Max(1, ingest.Value.MaxParallelism);

    public async Task<LinkedCampaigns> LinkedCampaignsAsync(string campaignId, int maxDepth, int maxNodes, int first)
    {
        var system = CallerContext.Current.IsSystem;
        var sub = await Registry.GetLinkSubgraphAsync(campaignId, maxDepth, maxNodes);
        // Only the caller's component of the campaign counts: links it may not see neither route nor connect.
        var visible = await VisibleLinks.FilterAsync(GrainFactory, policy, sub.Edges, _parallelism);
        var component = VisibleLinks.ComponentOf(campaignId, visible);
        var edges = visible.Where(e => component.Contains(e.SourceId)).ToList();
        if (edges.Count == 0)
        {
            // Alone, for this caller: the same answer as for a campaign that links to nothing at all.
            return new LinkedCampaigns(campaignId, system ? sub.ClusterId : null, [], system && sub.Partial, system ? sub.PartialReason : null);
        }
        var clusterId = system ? sub.ClusterId
            : sub.Partial ? (await ClusterAsync(campaignId, maxNodes))?.Id
            : ClusterIds.ViewId(component);

        // Strongest path = shortest under cost −ln(weight): its strength is the product of its edges' weights.
        var graph = new UndirectedGraph<string, TaggedEdge<string, SubgraphEdge>>(allowParallelEdges: true);
        foreach (var e in edges)
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
            var pathEdges = path.Select(e => e.Tag with { Access = null }).ToList();
            var nodes = new List<string> { campaignId };
            foreach (var e in pathEdges)
            {
                nodes.Add(e.SourceId == nodes[^1] ? e.TargetId : e.SourceId);
            }
            var strength = pathEdges.Aggregate(1.0, (s, e) => s * _policy.Weight(e.Kind));
            links.Add(new CampaignLink(v, Math.Round(strength, 6), nodes, pathEdges));
        }
        var ordered = links.OrderByDescending(l => l.Strength).ThenBy(l => l.PathEdges.Count).ThenBy(l => l.CampaignId, StringComparer.Ordinal)
            .Take(first).ToList();
        return new LinkedCampaigns(campaignId, clusterId, ordered, sub.Partial, sub.PartialReason);
    }

    public async Task<ClusterView?> ClusterAsync(string nodeId, int maxNodes)
    {
        if (CallerContext.Current.IsSystem)
        {
            return await Registry.GetClusterAsync(nodeId, 0, maxNodes); // severity rolled up there
        }
        // The caller's cluster: the component of the node among the links the caller may see, named after a member it
        // sees (ClusterIds); a node whose links are all hidden is alone, exactly like one that links to nothing.
        var sub = await Registry.GetLinkSubgraphAsync(nodeId, int.MaxValue, maxNodes);
        var members = VisibleLinks.ComponentOf(nodeId, await VisibleLinks.FilterAsync(GrainFactory, policy, sub.Edges, _parallelism))
            .Order(StringComparer.Ordinal).ToList();
        if (members.Count < 2)
        {
            return null;
        }
        var incidents = members.Where(x => CorrelationPolicy.TypeOf(x) == "incident").ToList();
        return new ClusterView(ClusterIds.ViewId(members), members.Count, members,
            [.. members.Where(x => x.StartsWith("campaign--", StringComparison.Ordinal))],
            [.. members.Where(x => CorrelationPolicy.TypeOf(x) is "intrusion-set" or "threat-actor")],
            incidents, await Severity.SeverityRollup.OfAsync(GrainFactory, incidents));
    }

    ICorrelationGrain Registry => GrainFactory.GetGrain<ICorrelationGrain>(0);

    public Task<PathResult> ShortestPathAsync(string fromId, string toId, int maxDepth, IReadOnlyList<string>? edgeKinds, int maxNodes) =>
        new PathSearch(GrainFactory, new NodeBatch(GrainFactory, slots, _parallelism), _parallelism, new EdgeQuery(Kinds: edgeKinds, Take: maxNodes), maxNodes).FindAsync(fromId, toId, maxDepth);
}
