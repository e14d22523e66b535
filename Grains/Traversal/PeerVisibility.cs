using ThreatGraph.Grains.Ingest;
using ThreatGraph.Grains.Nodes;

namespace ThreatGraph.Grains.Traversal;

/// <summary>Which nodes the caller may see, asked of the nodes themselves in bounded batches and remembered for one
/// traversal (the caller's identity travels in the RequestContext of each call).</summary>
public sealed class PeerVisibility(IGrainFactory grains, int parallelism)
{
    readonly Dictionary<string, bool> _known = new(StringComparer.Ordinal);

    public async Task CheckAsync(IEnumerable<string> ids)
    {
        var unknown = ids.Where(id => !_known.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        var answers = new Dictionary<string, bool>(StringComparer.Ordinal);
        await BoundedParallel.ForEachAsync(unknown, parallelism, async id => answers[id] = await grains.GetNode(id).IsVisibleAsync());
        foreach (var (id, visible) in answers)
        {
            _known[id] = visible;
        }
    }

    public bool IsVisible(string id) => _known.GetValueOrDefault(id);
}
