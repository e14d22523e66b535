using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using QuikGraph;
using QuikGraph.Algorithms.Search;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Grains.Model;
using ThreatGraph.Grains.Nodes;

namespace ThreatGraph.Grains.Traversal;

/// <summary>
/// Reads that span several nodes. Edges are returned only when the caller may see the edge (checked by the node)
/// and the peer (checked here, in one batched round), so a traversal never returns or routes through an invisible
/// node. Neighbourhoods are fetched level by level, stop at the node limit with a partial flag, and hop distances
/// are computed on the fetched subgraph with QuikGraph.
/// </summary>
[StatelessWorker]
public sealed class TraversalGrain(IOptions<IngestOptions> options) : Grain, ITraversalGrain
{
    readonly int _parallelism = Math.Max(1, options.Value.MaxParallelism);

    public async Task<EdgePage> ReadEdgesAsync(string nodeId, EdgeQuery query)
    {
        var all = await GrainFactory.GetNode(nodeId).GetEdgesAsync(query with { Skip = 0, Take = int.MaxValue });
        var visible = new PeerVisibility(GrainFactory, _parallelism);
        visible.Learn(all.Items);
        await visible.CheckAsync(all.Items.Select(e => e.PeerId));
        var edges = all.Items.Where(e => visible.IsVisible(e.PeerId)).ToList();
        return new EdgePage([.. edges.Skip(query.Skip).Take(query.Take)], edges.Count);
    }

    public async Task<Subgraph> NeighborhoodAsync(NeighborhoodRequest request)
    {
        var query = new EdgeQuery(Kinds: request.EdgeKinds);
        var seen = new HashSet<string>(StringComparer.Ordinal) { request.CenterId };
        var edges = new Dictionary<string, SubgraphEdge>(StringComparer.Ordinal);
        var frontier = new List<string> { request.CenterId };
        var visible = new PeerVisibility(GrainFactory, _parallelism);
        string? partial = null;

        for (var level = 0; level < request.Depth && frontier.Count > 0 && partial is null; level++)
        {
            var fetched = new Dictionary<string, IReadOnlyList<Edge>>(StringComparer.Ordinal);
            await BoundedParallel.ForEachAsync(frontier, _parallelism, async id =>
                fetched[id] = (await GrainFactory.GetNode(id).GetEdgesAsync(query)).Items);
            foreach (var list in fetched.Values)
            {
                visible.Learn(list);
            }
            await visible.CheckAsync(fetched.Values.SelectMany(list => list.Select(e => e.PeerId)));

            var next = new List<string>();
            foreach (var id in frontier)
            {
                foreach (var e in fetched[id].Where(e => visible.IsVisible(e.PeerId)))
                {
                    if (!seen.Contains(e.PeerId))
                    {
                        if (seen.Count >= request.MaxNodes)
                        {
                            partial = $"stopped at the limit of {request.MaxNodes} nodes";
                            continue;
                        }
                        seen.Add(e.PeerId);
                        next.Add(e.PeerId);
                    }
                    var (source, target) = e.Direction == EdgeDirection.Out ? (id, e.PeerId) : (e.PeerId, id);
                    edges.TryAdd($"{e.EdgeId}|{source}|{target}", new SubgraphEdge(e.EdgeId, e.Kind, source, target));
                }
            }
            frontier = next;
        }

        return new Subgraph(HopDistances(request.CenterId, seen, edges.Values), [.. edges.Values], partial is not null, partial);
    }

    static Dictionary<string, int> HopDistances(string center, IEnumerable<string> nodes, IEnumerable<SubgraphEdge> edges)
    {
        var graph = new UndirectedGraph<string, SEdge<string>>(allowParallelEdges: true);
        graph.AddVertexRange(nodes);
        graph.AddEdgeRange(edges.Select(e => new SEdge<string>(e.SourceId, e.TargetId)));
        var distances = new Dictionary<string, int>(StringComparer.Ordinal) { [center] = 0 };
        var bfs = new UndirectedBreadthFirstSearchAlgorithm<string, SEdge<string>>(graph);
        bfs.TreeEdge += (_, args) =>
        {
            var from = args.Source;
            var to = args.Target;
            if (distances.TryGetValue(from, out var d) && !distances.ContainsKey(to)) distances[to] = d + 1;
            else if (distances.TryGetValue(to, out d) && !distances.ContainsKey(from)) distances[from] = d + 1;
        };
        bfs.Compute(center);
        return distances;
    }
}
