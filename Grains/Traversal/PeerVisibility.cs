using ThreatGraph.Grains.Ingest;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Grains.Security;

namespace ThreatGraph.Grains.Traversal;

/// <summary>Which nodes the caller may see, asked of the nodes themselves in bounded batches and remembered for one
/// traversal (the caller's identity travels in the RequestContext of each call). The system sees every node that an
/// edge reaches, so it skips the round trips.</summary>
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
}
