using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Nodes;

/// <summary>The filter part of <see cref="EdgeQuery"/> (revoked, direction, kinds), shared by nodes and edge shards.</summary>
public static class EdgeFilter
{
    public static IReadOnlyList<Edge> Apply(IEnumerable<Edge> edges, EdgeQuery query)
    {
        if (!query.IncludeRevoked)
        {
            edges = edges.Where(e => !e.Revoked);
        }
        if (query.Direction is { } d)
        {
            edges = edges.Where(e => e.Direction == d);
        }
        if (query.Kinds is { Count: > 0 } kinds)
        {
            edges = edges.Where(e => kinds.Contains(e.Kind));
        }
        return edges as IReadOnlyList<Edge> ?? [.. edges];
    }
}
