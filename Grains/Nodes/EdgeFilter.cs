using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Nodes;

/// <summary>The filter part of <see cref="EdgeQuery"/> (revoked, direction, kinds), shared by nodes and edge shards.</summary>
public static class EdgeFilter
{
    /// <summary>
    /// One pass over a node's or a shard's edges: how many matches the caller may see, the window
    /// [Skip, Skip + Take) of them, and whether every match (seen or not) keeps its peer's access. A traversal reads
    /// thousands of edges per level, so this neither sorts, nor materialises the matches, nor passes twice; without
    /// <see cref="EdgeQuery.ExactCount"/> it stops one match past the window (count and peer access then cover what it read).
    /// </summary>
    public static EdgePage Page(IEnumerable<Edge> edges, EdgeQuery query, Func<Edge, bool> visible)
    {
        // Sized for the whole window when the edges are counted (a shard's 2,000): growing it was a read's main cost.
        var items = new List<Edge>(Math.Clamp(query.Take, 0, edges.TryGetNonEnumeratedCount(out var all) ? Math.Max(all - query.Skip, 0) : 64));
        var count = 0;
        var kept = true;
        foreach (var e in edges)
        {
            if (!Matches(e, query))
            {
                continue;
            }
            kept &= e.PeerAccess is not null;
            if (!visible(e))
            {
                continue;
            }
            if (count >= query.Skip && items.Count < query.Take)
            {
                items.Add(e);
            }
            count++;
            if (!query.ExactCount && count > query.Skip + (long)query.Take)
            {
                break; // "more than the window" is all this reader asked
            }
        }
        return new EdgePage(items, count, kept);
    }

    static bool Matches(Edge e, EdgeQuery query) =>
        (query.IncludeRevoked || !e.Revoked)
        && (query.Direction is not { } d || e.Direction == d)
        && (query.Kinds is not { Count: > 0 } kinds || kinds.Contains(e.Kind));
}
