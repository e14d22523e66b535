using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Ingest;

/// <summary>
/// Edge writes destined for peer nodes, collected over one rank of an ingest and sent as one call per peer:
/// an identity referenced by 1,800 objects gets one write, not 1,800. A later add/remove of the same edge wins.
/// </summary>
public sealed class MirrorBatch
{
    readonly Dictionary<string, Dictionary<string, (Edge Edge, bool Add)>> _byPeer = new(StringComparer.Ordinal);

    public void Add(string nodeId, Edge edge) => Slot(nodeId)[edge.Key] = (edge, true);

    public void Remove(string nodeId, Edge edge) => Slot(nodeId)[edge.Key] = (edge, false);

    /// <returns>Who may see each node that received edges, as it answered (see <see cref="PeerAccessBatch"/>).</returns>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<AccessDescriptor>>> FlushAsync(IGrainFactory grains, int parallelism)
    {
        var summaries = new Dictionary<string, IReadOnlyList<AccessDescriptor>>(StringComparer.Ordinal);
        await BoundedParallel.ForEachAsync(_byPeer, parallelism, async pair =>
        {
            var node = grains.GetNode(pair.Key);
            var adds = pair.Value.Values.Where(x => x.Add).Select(x => x.Edge).ToList();
            var removes = pair.Value.Values.Where(x => !x.Add).Select(x => x.Edge).ToList();
            if (removes.Count > 0)
            {
                await node.RemoveEdgesAsync(removes);
            }
            if (adds.Count > 0)
            {
                var summary = await node.AddEdgesAsync(adds);
                lock (summaries)
                {
                    summaries[pair.Key] = summary;
                }
            }
        });
        _byPeer.Clear();
        return summaries;
    }

    Dictionary<string, (Edge, bool)> Slot(string nodeId)
    {
        lock (_byPeer)
        {
            if (!_byPeer.TryGetValue(nodeId, out var slot))
            {
                _byPeer[nodeId] = slot = new(StringComparer.Ordinal);
            }
            return slot;
        }
    }
}
