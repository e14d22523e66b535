using ThreatGraph.Grains.Ingest;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Grains.Traversal;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// Shortest path by bidirectional breadth-first search: each round expands one whole level of the side with the
/// smaller frontier (one batched round of edge reads), until a node reached from one side has been reached from the
/// other. A supernode met on one side makes that side's frontier large, so the other side does the next steps: the
/// search reads about the square root of what a one-sided search reads.
/// Only nodes the caller may see are expanded (and the meeting node is checked), so a path never routes through an
/// invisible node; the edges come already filtered by the node grains.
/// </summary>
public sealed class PathSearch(IGrainFactory grains, NodeBatch batch, int parallelism, EdgeQuery query, int maxNodes)
{
    sealed class Side(string root)
    {
        /// <summary>Every node reached from this side: the node it was reached from, by which edge, at what depth.</summary>
        public Dictionary<string, (string? Parent, SubgraphEdge? Edge, int Depth)> Reached { get; } =
            new(StringComparer.Ordinal) { [root] = (null, null, 0) };
        public List<string> Frontier { get; set; } = [root];
        public int Depth { get; set; }
    }

    public async Task<PathResult> FindAsync(string fromId, string toId, int maxDepth)
    {
        var visibility = new PeerVisibility(grains, parallelism);
        if (fromId == toId)
        {
            await visibility.CheckAsync([fromId]);
            return visibility.IsVisible(fromId) ? new PathResult(true, [fromId], [], false, null) : NotFound(null);
        }
        var a = new Side(fromId);
        var b = new Side(toId);
        string? partial = null;
        while (a.Depth + b.Depth < maxDepth && a.Frontier.Count > 0 && b.Frontier.Count > 0 && partial is null)
        {
            var (grow, other) = a.Frontier.Count <= b.Frontier.Count ? (a, b) : (b, a);
            await visibility.CheckAsync(grow.Frontier);
            var expand = grow.Frontier.Where(visibility.IsVisible).ToList();
            var (edges, cut) = await ReadEdgesAsync(expand);
            foreach (var list in edges.Values)
            {
                visibility.Learn(list);
            }
            if (cut is not null)
            {
                partial = cut;
            }
            var next = new List<string>();
            var meetings = new List<string>();
            foreach (var id in expand)
            {
                foreach (var e in edges[id])
                {
                    if (grow.Reached.ContainsKey(e.PeerId))
                    {
                        continue;
                    }
                    if (a.Reached.Count + b.Reached.Count >= maxNodes)
                    {
                        partial = $"stopped at the limit of {maxNodes} nodes";
                        break;
                    }
                    var (source, target) = e.Direction == EdgeDirection.Out ? (id, e.PeerId) : (e.PeerId, id);
                    grow.Reached[e.PeerId] = (id, new SubgraphEdge(e.EdgeId, e.Kind, source, target), grow.Depth + 1);
                    next.Add(e.PeerId);
                    if (other.Reached.ContainsKey(e.PeerId))
                    {
                        meetings.Add(e.PeerId);
                    }
                }
            }
            grow.Depth++;
            grow.Frontier = next;
            if (meetings.Count > 0)
            {
                await visibility.CheckAsync(meetings);
                var best = meetings.Where(visibility.IsVisible)
                    .OrderBy(m => a.Reached[m].Depth + b.Reached[m].Depth).FirstOrDefault();
                if (best is not null)
                {
                    return PathThrough(best, a, b, partial);
                }
            }
        }
        var unexplored = a.Frontier.Count > 0 && b.Frontier.Count > 0;
        return NotFound(partial ?? (unexplored ? $"no path within {maxDepth} hops" : null));
    }

    static PathResult NotFound(string? reason) => new(false, [], [], reason is not null, reason);

    /// <summary>Each expanded node's edges (one round, one call per silo); a note when a node had more than one read returns.</summary>
    async Task<(Dictionary<string, IReadOnlyList<Edge>> Edges, string? Cut)> ReadEdgesAsync(List<string> ids)
    {
        var edges = new Dictionary<string, IReadOnlyList<Edge>>(StringComparer.Ordinal);
        string? cut = null;
        foreach (var (id, page) in await batch.GetEdgesAsync(ids, query))
        {
            edges[id] = page.Items;
            if (page.TotalCount > page.Items.Count)
            {
                cut = $"{id} has {page.TotalCount} edges; only {page.Items.Count} were followed";
            }
        }
        return (edges, cut);
    }

    /// <summary>from → … → meeting node (a's parents, walked back and reversed) → … → to (b's parents).</summary>
    static PathResult PathThrough(string meeting, Side a, Side b, string? partial)
    {
        var nodes = new List<string> { meeting };
        var edges = new List<SubgraphEdge>();
        for (var n = meeting; a.Reached[n].Parent is { } parent; n = parent)
        {
            nodes.Add(parent);
            edges.Add(a.Reached[n].Edge!);
        }
        nodes.Reverse();
        edges.Reverse();
        for (var n = meeting; b.Reached[n].Parent is { } parent; n = parent)
        {
            nodes.Add(parent);
            edges.Add(b.Reached[n].Edge!);
        }
        return new PathResult(true, nodes, edges, partial is not null, partial);
    }
}
