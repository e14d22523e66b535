using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Grains.Placement;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.Grains.Traversal;

/// <summary>
/// Reads that span several nodes. Edges are returned only when the caller may see the edge (checked by the node)
/// and the peer (checked here, in one batched round), so a traversal never returns or routes through an invisible
/// node. Neighbourhoods are fetched level by level (a node's distance is the level it is first met at) and stop at
/// the node limit with a partial flag.
/// </summary>
[StatelessWorker]
[Reentrant] // no state of its own: without it a silo runs one read per core at a time, each awaiting its node reads
public sealed class TraversalGrain(IOptions<IngestOptions> options, SiloSlots slots) : Grain, ITraversalGrain
{
    readonly int _parallelism = Math.Max(1, options.Value.MaxParallelism);

    NodeBatch Batch => new(GrainFactory, slots, _parallelism);

    public async Task<EdgePage> ReadEdgesAsync(string nodeId, EdgeQuery query)
    {
        // Edges that keep their peer's access come back filtered by the node itself: ask for just the window. The node
        // itself must be one the caller may see, asked beside the read: a hidden node has no edges for the caller.
        var seen = GrainFactory.GetNode(nodeId).IsVisibleAsync();
        var window = await GrainFactory.GetNode(nodeId).GetEdgesAsync(query);
        if (!await seen)
        {
            return new EdgePage([], 0);
        }
        if (window.PeerAccessKept)
        {
            return window;
        }
        // Some edges were written before peers' access was kept: read them all and ask those peers.
        var all = await GrainFactory.GetNode(nodeId).GetEdgesAsync(query with { Skip = 0, Take = int.MaxValue });
        var visible = new PeerVisibility(GrainFactory, _parallelism);
        visible.Learn(all.Items);
        await visible.CheckAsync(all.Items.Select(e => e.PeerId));
        var edges = all.Items.Where(e => visible.IsVisible(e.PeerId)).ToList();
        return new EdgePage([.. edges.Skip(query.Skip).Take(query.Take)], edges.Count);
    }

    public async Task<IReadOnlyList<NodeView?>> GetViewsAsync(IReadOnlyList<string> ids)
    {
        var views = await Batch.GetViewsAsync(ids);
        return [.. ids.Select(id => views[id])];
    }

    public async Task<Subgraph> NeighborhoodAsync(NeighborhoodRequest request)
    {
        // No node contributes more than the node limit: a supernode's 200,000 edges are never all read for a 5,000-node answer.
        var query = new EdgeQuery(Kinds: request.EdgeKinds, Take: request.MaxNodes, ExactCount: false); // "more than the limit" is all partial needs
        var distances = new Dictionary<string, int>(StringComparer.Ordinal) { [request.CenterId] = 0 };
        var edges = new Dictionary<(string EdgeId, string Source, string Target), SubgraphEdge>();
        var frontier = new List<string> { request.CenterId };
        var visible = new PeerVisibility(GrainFactory, _parallelism);
        string? partial = null;

        // The center must be a node the caller may see, like every node reached: a hidden center has no neighbourhood
        // for the caller, and the answer is the same as for an id nobody reported (no nodes at all). Asked beside the
        // first level's read, so it costs no round of its own.
        var firstLevel = request.Depth > 0 ? Batch.GetEdgesAsync(frontier, query) : null;
        if (!await GrainFactory.GetNode(request.CenterId).IsVisibleAsync())
        {
            if (firstLevel is not null)
            {
                await firstLevel;
            }
            return new Subgraph(new Dictionary<string, int>(), [], false, null);
        }

        for (var level = 0; level < request.Depth && frontier.Count > 0 && partial is null; level++)
        {
            // One call per silo for the whole level (node grains are placed by id).
            var pages = level == 0 ? await firstLevel! : await Batch.GetEdgesAsync(frontier, query);
            var reached = 0;
            foreach (var (id, page) in pages)
            {
                reached += page.Items.Count;
                if (page.TotalCount > page.Items.Count)
                {
                    partial ??= $"{id} has more than {request.MaxNodes} edges; only the first {request.MaxNodes} were followed";
                }
            }
            await visible.CheckAsync(pages.Values.SelectMany(page => PeerVisibility.UnkeptPeers(page.Items)));

            // Sized once per level (a supernode's level reaches thousands): growing them was most of what a read allocated.
            distances.EnsureCapacity(Math.Min(request.MaxNodes, distances.Count + reached));
            var next = new List<string>(Math.Min(request.MaxNodes, reached));
            foreach (var id in frontier)
            {
                foreach (var e in pages[id].Items)
                {
                    if (!visible.IsVisible(e))
                    {
                        continue;
                    }
                    if (!distances.ContainsKey(e.PeerId))
                    {
                        if (distances.Count >= request.MaxNodes)
                        {
                            partial = $"stopped at the limit of {request.MaxNodes} nodes";
                            continue;
                        }
                        distances[e.PeerId] = level + 1; // level by level: the first time a node is met is its distance
                        next.Add(e.PeerId);
                    }
                    if (request.IncludeEdges)
                    {
                        var (source, target) = e.Direction == EdgeDirection.Out ? (id, e.PeerId) : (e.PeerId, id);
                        edges.TryAdd((e.EdgeId, source, target), new SubgraphEdge(e.EdgeId, e.Kind, source, target));
                    }
                }
            }
            frontier = next;
        }

        return new Subgraph(distances, [.. edges.Values], partial is not null, partial);
    }
}
