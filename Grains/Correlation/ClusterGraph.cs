using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// The links of ONE cluster (a connected component over linking edges) and their adjacency: the pure logic of a
/// <see cref="ClusterGrain"/> (no Orleans), tested against components recomputed from scratch.
/// <list type="bullet">
/// <item>A cluster is connected by construction: the writer adds links only to nodes of the cluster or joining it, and
/// absorbs whole clusters together with the links that connect them.</item>
/// <item>Removing a link checks whether its two ends are still connected with a breadth-first search from both ends at
/// once, one node at a time each: the side that runs out first is cut off (it is the smaller one), so the work is
/// the size of the smaller side, not of the cluster. The larger side stays; the cut-off part is returned.</item>
/// <item>A node left with no link is no member any more (a node alone is no cluster).</item>
/// </list>
/// Not thread-safe: one writer (the grain's turn).
/// </summary>
public sealed class ClusterGraph
{
    readonly Dictionary<string, ClusterLink> _links = new(StringComparer.Ordinal);
    readonly Dictionary<string, HashSet<string>> _adjacency = new(StringComparer.Ordinal);

    /// <summary>When set, every change of a link is recorded here (the key, and the link or null when it went): what a
    /// cluster grain journals instead of rewriting all its links.</summary>
    public List<(string Key, ClusterLink? Link)>? Changes { get; set; }

    public int Size => _adjacency.Count;
    public int LinkCount => _links.Count;
    public IEnumerable<string> Members => _adjacency.Keys;
    public IReadOnlyDictionary<string, ClusterLink> Links => _links;

    public bool Contains(string node) => _adjacency.ContainsKey(node);

    public int Degree(string node) => _adjacency.TryGetValue(node, out var a) ? a.Count : 0;

    public IEnumerable<(string Key, ClusterLink Link)> LinksAt(string node) =>
        _adjacency.TryGetValue(node, out var a) ? a.Select(k => (k, _links[k])) : [];

    /// <summary>Adds a link (its ends become members); a known key only takes the new access. False when the key was known.</summary>
    public bool Add(string key, ClusterLink link)
    {
        if (link.U == link.V)
        {
            return false;
        }
        if (_links.ContainsKey(key))
        {
            if (_links[key] != link)
            {
                _links[key] = link; // a new version may change who sees the link; its ends stay the same
                Changes?.Add((key, link));
            }
            return false;
        }
        _links[key] = link;
        Changes?.Add((key, link));
        Adjacent(link.U).Add(key);
        Adjacent(link.V).Add(key);
        return true;
    }

    /// <summary>Replays a journaled removal: the link goes, nothing is cut (the journal also holds what was cut off).</summary>
    public void Forget(string key)
    {
        if (_links.Remove(key, out var link))
        {
            foreach (var n in new[] { link.U, link.V })
            {
                if (_adjacency.TryGetValue(n, out var a) && a.Remove(key) && a.Count == 0)
                {
                    _adjacency.Remove(n);
                }
            }
        }
    }

    /// <summary>Removes links; returns the parts cut off from the cluster, each with its links (the larger side of each cut
    /// stays), and the nodes left with no link.</summary>
    public (IReadOnlyList<ClusterGraph> Parts, IReadOnlyList<string> Left) Remove(IEnumerable<string> keys)
    {
        var ends = new List<(string U, string V)>();
        foreach (var key in keys)
        {
            if (_links.Remove(key, out var link))
            {
                Changes?.Add((key, null));
                _adjacency[link.U].Remove(key);
                _adjacency[link.V].Remove(key);
                ends.Add((link.U, link.V));
            }
        }
        return Cut(ends);
    }

    /// <summary>Removes every link of the nodes (they stop linking: excluded); same answer as <see cref="Remove"/>.</summary>
    public (IReadOnlyList<ClusterGraph> Parts, IReadOnlyList<string> Left) RemoveNodes(IEnumerable<string> nodes) =>
        Remove(nodes.SelectMany(n => _adjacency.TryGetValue(n, out var a) ? a : []).Distinct(StringComparer.Ordinal).ToList());

    /// <summary>Takes the part's nodes and the links among them out of this graph into a new one.</summary>
    public ClusterGraph Extract(IReadOnlySet<string> part)
    {
        var other = new ClusterGraph();
        foreach (var node in part)
        {
            if (_adjacency.Remove(node, out var keys))
            {
                foreach (var key in keys)
                {
                    if (_links.Remove(key, out var link))
                    {
                        Changes?.Add((key, null));
                        other.Add(key, link);
                    }
                }
            }
        }
        return other;
    }

    /// <summary>Breadth-first from <paramref name="start"/> up to a depth and a node count; partial when a limit cut it.</summary>
    public (IReadOnlyList<(string Key, ClusterLink Link)> Links, string? Partial) Around(string start, int maxDepth, int maxNodes)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var links = new Dictionary<string, ClusterLink>(StringComparer.Ordinal);
        var frontier = new List<string> { start };
        string? partial = null;
        for (var depth = 0; depth < maxDepth && frontier.Count > 0; depth++)
        {
            var next = new List<string>();
            foreach (var n in frontier)
            {
                foreach (var (key, link) in LinksAt(n))
                {
                    var peer = link.U == n ? link.V : link.U;
                    if (!seen.Contains(peer))
                    {
                        if (seen.Count >= maxNodes)
                        {
                            partial ??= $"stopped at the limit of {maxNodes} nodes";
                            continue;
                        }
                        seen.Add(peer);
                        next.Add(peer);
                    }
                    links.TryAdd(key, link);
                }
            }
            frontier = next;
        }
        if (partial is null && frontier.Any(n => LinksAt(n).Any(x => !seen.Contains(x.Link.U == n ? x.Link.V : x.Link.U))))
        {
            partial = $"stopped at the depth limit of {maxDepth} hops";
        }
        return ([.. links.Select(x => (x.Key, x.Value))], partial);
    }

    (IReadOnlyList<ClusterGraph> Parts, IReadOnlyList<string> Left) Cut(List<(string U, string V)> ends)
    {
        var left = new List<string>();
        foreach (var n in ends.SelectMany(e => new[] { e.U, e.V }).Distinct(StringComparer.Ordinal))
        {
            if (_adjacency.TryGetValue(n, out var a) && a.Count == 0)
            {
                _adjacency.Remove(n);
                left.Add(n);
            }
        }
        // Where the graph may have come apart: the ends of the removed links that are still members.
        var remaining = ends.SelectMany(e => new[] { e.U, e.V }).Where(_adjacency.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
        if (remaining.Count <= 1)
        {
            return ([], left);
        }
        if (ends.Count == 1)
        {
            // One cut: the search from both ends costs the smaller side.
            return (SmallerSideIfCut(remaining[0], remaining[1]) is { } part ? [Extract(part)] : [], left);
        }
        // Several cuts at once: recompute the components, the largest stays.
        var components = Components();
        var keep = components.MaxBy(c => c.Count)!;
        return ([.. components.Where(c => !ReferenceEquals(c, keep)).Select(Extract)], left);
    }

    List<HashSet<string>> Components()
    {
        var components = new List<HashSet<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in _adjacency.Keys)
        {
            if (!seen.Add(start))
            {
                continue;
            }
            var component = new HashSet<string>(StringComparer.Ordinal) { start };
            var queue = new Queue<string>([start]);
            while (queue.TryDequeue(out var n))
            {
                foreach (var (_, link) in LinksAt(n))
                {
                    var peer = link.U == n ? link.V : link.U;
                    if (seen.Add(peer))
                    {
                        component.Add(peer);
                        queue.Enqueue(peer);
                    }
                }
            }
            components.Add(component);
        }
        return components;
    }

    /// <summary>Search from both ends at once, one node each in turn: when one side runs out without meeting the other,
    /// it is a separate component (and the smaller); null when the ends are still connected.</summary>
    HashSet<string>? SmallerSideIfCut(string u, string v)
    {
        var seenU = new HashSet<string>(StringComparer.Ordinal) { u };
        var seenV = new HashSet<string>(StringComparer.Ordinal) { v };
        var queueU = new Queue<string>([u]);
        var queueV = new Queue<string>([v]);
        while (true)
        {
            if (Step(queueU, seenU, seenV) is { } metU)
            {
                return metU ? null : seenU;
            }
            if (Step(queueV, seenV, seenU) is { } metV)
            {
                return metV ? null : seenV;
            }
        }
    }

    /// <summary>Expands one node: true when it reaches the other side, false when this side is exhausted, null otherwise.</summary>
    bool? Step(Queue<string> queue, HashSet<string> seen, HashSet<string> other)
    {
        if (!queue.TryDequeue(out var n))
        {
            return false;
        }
        foreach (var (_, link) in LinksAt(n))
        {
            var peer = link.U == n ? link.V : link.U;
            if (other.Contains(peer))
            {
                return true;
            }
            if (seen.Add(peer))
            {
                queue.Enqueue(peer);
            }
        }
        return queue.Count == 0 ? false : null;
    }

    HashSet<string> Adjacent(string node)
    {
        if (!_adjacency.TryGetValue(node, out var a))
        {
            _adjacency[node] = a = new(StringComparer.Ordinal);
        }
        return a;
    }
}
