using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.Grains.Traversal;

/// <summary>Which nodes the caller may see, remembered for one traversal. An edge a node returned with its peer's access
/// (<see cref="Edge.PeerAccess"/>) was already filtered by it, so its peer is visible without a call
/// (<see cref="Learn"/>); peers of edges written before that was kept are asked, in bounded batches (the caller's
/// identity travels in the RequestContext of each call). The system sees every node that an edge reaches.</summary>
public sealed class PeerVisibility(IGrainFactory grains, int parallelism)
{
    readonly Dictionary<string, bool> _known = new(StringComparer.Ordinal);
    readonly bool _seesAll = CallerContext.Current.IsSystem;

    public async Task CheckAsync(IEnumerable<string> ids)
    {
        if (_seesAll)
        {
            return;
        }
        var unknown = ids.Where(id => !_known.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        var answers = new Dictionary<string, bool>(StringComparer.Ordinal);
        await BoundedParallel.ForEachAsync(unknown, parallelism, async id => answers[id] = await grains.GetNode(id).IsVisibleAsync());
        foreach (var (id, visible) in answers)
        {
            _known[id] = visible;
        }
    }

    public bool IsVisible(string id) => _seesAll || _known.GetValueOrDefault(id);

    /// <summary>Whether an edge's peer is visible: at once when the edge came with its peer's access (the node that
    /// returned it checked it), else as <see cref="CheckAsync"/> found. Remembers nothing for the first kind, so a
    /// supernode's thousands of peers cost no entry each (<see cref="UnkeptPeers"/> lists what to check).</summary>
    public bool IsVisible(Edge e) => _seesAll || e.PeerAccess is not null || _known.GetValueOrDefault(e.PeerId);

    /// <summary>The peers of the edges written before peers' access was kept: the only ones to ask.</summary>
    public static IEnumerable<string> UnkeptPeers(IEnumerable<Edge> edges) =>
        edges.Where(e => e.PeerAccess is null).Select(e => e.PeerId);

    /// <summary>Takes the peers of edges that carry their peer's access as visible: the node that returned them checked it.</summary>
    public void Learn(IEnumerable<Edge> edges)
    {
        foreach (var e in edges)
        {
            if (e.PeerAccess is not null)
            {
                _known[e.PeerId] = true;
            }
        }
    }
}
