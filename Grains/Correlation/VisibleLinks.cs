using ThreatGraph.Contracts.Security;
using ThreatGraph.Grains.Traversal;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// The cluster grain keeps the whole correlation graph (the system's view). Before anything of it reaches a caller,
/// this keeps only the links the caller may see: the report that declares the link (the relationship or sighting, or
/// the object — an organisation's report of an observable — whose ref it is) and both endpoints. Computing on the
/// result never routes through, nor reveals, what the caller may not see.
/// </summary>
public static class VisibleLinks
{
    public static async Task<IReadOnlyList<SubgraphEdge>> FilterAsync(IGrainFactory grains, AccessPolicy policy, IReadOnlyList<SubgraphEdge> edges, int parallelism)
    {
        var caller = CallerContext.Current;
        if (caller.IsSystem || edges.Count == 0)
        {
            return edges;
        }
        var declared = edges.Where(e => e.Access is { } a && policy.CanSee(caller, a)).ToList();
        var visible = new PeerVisibility(grains, parallelism);
        await visible.CheckAsync(declared.SelectMany(e => new[] { e.SourceId, e.TargetId }));
        return [.. declared.Where(e => visible.IsVisible(e.SourceId) && visible.IsVisible(e.TargetId))];
    }

    /// <summary>The connected component of <paramref name="start"/> in <paramref name="edges"/>.</summary>
    public static HashSet<string> ComponentOf(string start, IReadOnlyList<SubgraphEdge> edges)
    {
        var adjacency = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var e in edges)
        {
            (adjacency.TryGetValue(e.SourceId, out var a) ? a : adjacency[e.SourceId] = []).Add(e.TargetId);
            (adjacency.TryGetValue(e.TargetId, out var b) ? b : adjacency[e.TargetId] = []).Add(e.SourceId);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var n))
        {
            foreach (var peer in adjacency.GetValueOrDefault(n) ?? [])
            {
                if (seen.Add(peer))
                {
                    queue.Enqueue(peer);
                }
            }
        }
        return seen;
    }
}
