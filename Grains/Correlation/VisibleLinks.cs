using ThreatGraph.Grains.Security;
using ThreatGraph.Grains.Traversal;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// The cluster grain keeps the whole correlation graph (the system's view). Before anything of it reaches a caller,
/// this keeps only the links the caller may see: both endpoints visible and, for a relationship or sighting, the SRO
/// itself (an embedded ref is declared by its source endpoint). Computing on the result never routes through, nor
/// reveals, what the caller may not see.
/// </summary>
public static class VisibleLinks
{
    public static async Task<IReadOnlyList<SubgraphEdge>> FilterAsync(IGrainFactory grains, IReadOnlyList<SubgraphEdge> edges, int parallelism)
    {
        if (CallerContext.Current.IsSystem || edges.Count == 0)
        {
            return edges;
        }
        var visible = new PeerVisibility(grains, parallelism);
        await visible.CheckAsync(edges.SelectMany(e => Declarer(e) is { } sro ? new[] { e.SourceId, e.TargetId, sro } : [e.SourceId, e.TargetId]));
        return [.. edges.Where(e => visible.IsVisible(e.SourceId) && visible.IsVisible(e.TargetId)
                                    && (Declarer(e) is not { } sro || visible.IsVisible(sro)))];
    }

    /// <summary>The SRO behind a link, or null for an embedded ref (<c>ref:…</c>).</summary>
    static string? Declarer(SubgraphEdge e) => e.EdgeId.StartsWith("ref:", StringComparison.Ordinal) ? null : e.EdgeId;

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
