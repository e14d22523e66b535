using ThreatGraph.Contracts.Model;
using System.Collections.Concurrent;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Ingest;

/// <summary>
/// Keeps <see cref="Edge.PeerAccess"/> current over one ingest. It knows who may see each node the ingest touches
/// (from upsert answers, or one read per node it only points at) so edges are written with their peer's access, and
/// it collects what must be told afterwards: a node whose reports changed who may see it tells every node that keeps
/// that (its fan-out), and a node that answered a mirror write with another access than the one its edges were
/// written with (a concurrent change) is told again to those that hold them. One call per node told, at the end of a rank.
/// </summary>
public sealed class PeerAccessBatch(IGrainFactory grains, int parallelism)
{
    readonly ConcurrentDictionary<string, IReadOnlyList<AccessDescriptor>> _known = new(StringComparer.Ordinal);
    /// <summary>For each node: the nodes this ingest wrote edges to it on (or that name it as an endpoint).</summary>
    readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _holders = new(StringComparer.Ordinal);
    readonly Dictionary<string, Dictionary<string, IReadOnlyList<AccessDescriptor>>> _tell = new(StringComparer.Ordinal);

    /// <summary>Who may see <paramref name="id"/>, as this ingest last learnt it.</summary>
    public IReadOnlyList<AccessDescriptor> Of(string id) => _known.TryGetValue(id, out var s) ? s : [];

    /// <summary>Reads who may see the nodes not yet known (one read-only call each, bounded in parallel).</summary>
    public async Task EnsureAsync(IEnumerable<string> ids)
    {
        var unknown = ids.Where(id => !_known.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        await BoundedParallel.ForEachAsync(unknown, parallelism, async id =>
            _known[id] = await CallerContext.AsSystemAsync(() => grains.GetNode(id).GetAccessSummaryAsync()));
    }

    /// <summary><paramref name="holder"/> keeps (on an edge, or as an endpoint) who may see <paramref name="peer"/>.</summary>
    public void Held(string peer, string holder) =>
        _holders.GetOrAdd(peer, _ => new(StringComparer.Ordinal)).TryAdd(holder, 0);

    /// <summary>A node's upsert answered: remember its access; when it changed, tell its fan-out.</summary>
    public void Upserted(string id, IReadOnlyList<AccessDescriptor>? summary, IReadOnlyList<string>? fanout)
    {
        if (summary is null)
        {
            return;
        }
        _known[id] = summary;
        foreach (var target in fanout ?? [])
        {
            Tell(target, id, summary);
        }
    }

    /// <summary>Nodes answered mirror writes with who may see them: where that differs from what their holders were
    /// written with, tell the holders.</summary>
    public void Answered(IReadOnlyDictionary<string, IReadOnlyList<AccessDescriptor>> answers)
    {
        foreach (var (id, summary) in answers)
        {
            var assumed = _known.TryGetValue(id, out var s) ? s : null;
            _known[id] = summary;
            if (!AccessSummary.Same(assumed, summary) && _holders.TryGetValue(id, out var holders))
            {
                foreach (var holder in holders.Keys)
                {
                    Tell(holder, id, summary);
                }
            }
        }
    }

    /// <summary>Sends what was collected, one call per node told; returns the index entries that changed.</summary>
    public async Task<IReadOnlyList<IndexEntry>> FlushAsync()
    {
        List<KeyValuePair<string, Dictionary<string, IReadOnlyList<AccessDescriptor>>>> work;
        lock (_tell)
        {
            work = [.. _tell];
            _tell.Clear();
        }
        var entries = new ConcurrentBag<IndexEntry>();
        await BoundedParallel.ForEachAsync(work, parallelism, async pair =>
        {
            if (await grains.GetNode(pair.Key).PeerAccessChangedAsync(pair.Value) is { } entry)
            {
                entries.Add(entry);
            }
        });
        return [.. entries];
    }

    void Tell(string target, string peer, IReadOnlyList<AccessDescriptor> summary)
    {
        lock (_tell)
        {
            if (!_tell.TryGetValue(target, out var peers))
            {
                _tell[target] = peers = new(StringComparer.Ordinal);
            }
            peers[peer] = summary;
        }
    }
}
