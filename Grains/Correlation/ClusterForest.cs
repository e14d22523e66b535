namespace ThreatGraph.Grains.Correlation;

/// <summary>A merge: every member of <see cref="Loser"/> moved into <see cref="Winner"/> (the larger, or equal).</summary>
public sealed record ClusterMergeEvent(
    string Winner, string Loser, int WinnerSizeBefore, int LoserSize,
    IReadOnlyList<string> WinnerTagged, IReadOnlyList<string> LoserTagged, IReadOnlyList<string> LoserMembersSample);

/// <summary>A split after recomputation: the largest part kept the id <see cref="From"/>, the others got new ids.</summary>
public sealed record ClusterSplitEvent(string From, IReadOnlyList<ClusterPart> Parts);

public sealed record ClusterPart(string Id, int Size, IReadOnlyList<string> Tagged);

/// <summary>
/// Incremental connected components of an undirected multigraph whose edges come and go: the pure logic of the
/// cluster grain (no Orleans), tested against components recomputed from scratch.
/// <list type="bullet">
/// <item>Every node knows its cluster (a direct pointer, no path walking).</item>
/// <item>An edge joining two clusters merges the smaller into the larger (union by size: a node moves O(log n) times
/// at most); the loser's id forwards to the winner, so an id handed out earlier always resolves.</item>
/// <item>Removing an edge (or excluding a node) marks its cluster dirty; <see cref="Commit"/> recomputes each dirty
/// cluster by a traversal of its remaining active edges, which may split it (the largest part keeps the id).</item>
/// <item>An edge is active when it is no self-loop and neither end is excluded (known-benign, over the degree cap).</item>
/// </list>
/// Not thread-safe: one writer (the grain's turn).
/// </summary>
public sealed class ClusterForest(Func<string> newClusterId, Func<string, bool> isTagged)
{
    readonly Dictionary<string, string> _clusterOf = new(StringComparer.Ordinal);
    readonly Dictionary<string, HashSet<string>> _members = new(StringComparer.Ordinal);
    readonly Dictionary<string, HashSet<string>> _tagged = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> _forward = new(StringComparer.Ordinal);
    readonly Dictionary<string, ForestEdge> _edges = new(StringComparer.Ordinal);
    readonly Dictionary<string, HashSet<string>> _adjacency = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> _excluded = new(StringComparer.Ordinal);
    readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    readonly List<object> _events = [];

    public const int SampleSize = 20;

    public int NodeCount => _clusterOf.Count;
    public int EdgeCount => _edges.Count;
    public IEnumerable<string> Nodes => _clusterOf.Keys;
    public IEnumerable<string> Clusters => _members.Keys;
    public IReadOnlyDictionary<string, ForestEdge> Edges => _edges;
    public IReadOnlyDictionary<string, string> Exclusions => _excluded;
    public IReadOnlyDictionary<string, string> Forwards => _forward;
    public IReadOnlyDictionary<string, string> Assignment => _clusterOf;

    public string? ClusterOf(string node) => _clusterOf.GetValueOrDefault(node);

    /// <summary>The live cluster an id stands for, following forwards from merged-away ids; null when never issued.</summary>
    public string? Resolve(string clusterId)
    {
        var id = clusterId;
        for (var hops = 0; hops < 10_000; hops++)
        {
            if (_members.ContainsKey(id))
            {
                return id;
            }
            if (!_forward.TryGetValue(id, out var next))
            {
                return null;
            }
            id = next;
        }
        return null;
    }

    public IReadOnlyCollection<string> Members(string clusterId) =>
        _members.TryGetValue(clusterId, out var m) ? m : [];

    public IReadOnlyCollection<string> Tagged(string clusterId) =>
        _tagged.TryGetValue(clusterId, out var t) ? t : [];

    public int Size(string clusterId) => _members.TryGetValue(clusterId, out var m) ? m.Count : 0;

    public string? ExclusionOf(string node) => _excluded.GetValueOrDefault(node);

    /// <summary>Edges at a node (active or not).</summary>
    public int Degree(string node) => _adjacency.TryGetValue(node, out var a) ? a.Count : 0;

    public IEnumerable<(string Key, ForestEdge Edge)> EdgesAt(string node) =>
        _adjacency.TryGetValue(node, out var a) ? a.Select(k => (k, _edges[k])) : [];

    public bool IsActive(ForestEdge e) =>
        e.U != e.V && !_excluded.ContainsKey(e.U) && !_excluded.ContainsKey(e.V);

    /// <summary>Adds an edge (idempotent by key). Returns false when the key was present.</summary>
    public bool AddEdge(string key, string u, string v, string kind = "")
    {
        if (_edges.ContainsKey(key))
        {
            return false;
        }
        EnsureNode(u);
        EnsureNode(v);
        var e = new ForestEdge(u, v, kind);
        _edges[key] = e;
        Adjacent(u).Add(key);
        Adjacent(v).Add(key);
        if (IsActive(e))
        {
            Union(_clusterOf[u], _clusterOf[v]);
        }
        return true;
    }

    /// <summary>Removes an edge; its cluster is recomputed at the next <see cref="Commit"/>. False when unknown.</summary>
    public bool RemoveEdge(string key)
    {
        if (!_edges.Remove(key, out var e))
        {
            return false;
        }
        _adjacency[e.U].Remove(key);
        _adjacency[e.V].Remove(key);
        if (IsActive(e))
        {
            _dirty.Add(_clusterOf[e.U]);
        }
        return true;
    }

    /// <summary>Excludes a node from linking (reason) or lets it link again (null).</summary>
    public void SetExcluded(string node, string? reason)
    {
        var was = _excluded.ContainsKey(node);
        if (reason is not null)
        {
            if (was)
            {
                _excluded[node] = reason;
                return;
            }
            // Edges that were active stop being so: recompute the cluster (it may split).
            var hadActive = EdgesAt(node).Any(x => IsActive(x.Edge));
            _excluded[node] = reason;
            if (hadActive)
            {
                _dirty.Add(_clusterOf[node]);
            }
            return;
        }
        if (!was)
        {
            return;
        }
        _excluded.Remove(node);
        foreach (var (_, e) in EdgesAt(node).ToList())
        {
            if (IsActive(e))
            {
                Union(_clusterOf[e.U], _clusterOf[e.V]);
            }
        }
    }

    /// <summary>Recomputes dirty clusters (splitting where they fell apart) and returns the events since the last commit,
    /// in order: <see cref="ClusterMergeEvent"/> and <see cref="ClusterSplitEvent"/>.</summary>
    public IReadOnlyList<object> Commit()
    {
        foreach (var id in _dirty.ToList())
        {
            if (_members.ContainsKey(id))
            {
                Recompute(id);
            }
        }
        _dirty.Clear();
        var events = _events.ToList();
        _events.Clear();
        return events;
    }

    /// <summary>Loads a committed state (edges, assignment, forwards, exclusions) without re-deriving it.</summary>
    public void Restore(IEnumerable<(string Key, ForestEdge Edge)> edges, IEnumerable<KeyValuePair<string, string>> assignment,
        IEnumerable<KeyValuePair<string, string>> forwards, IEnumerable<KeyValuePair<string, string>> exclusions)
    {
        foreach (var (node, cluster) in assignment)
        {
            _clusterOf[node] = cluster;
            if (!_members.TryGetValue(cluster, out var m))
            {
                _members[cluster] = m = new(StringComparer.Ordinal);
                _tagged[cluster] = new(StringComparer.Ordinal);
            }
            m.Add(node);
            if (isTagged(node))
            {
                _tagged[cluster].Add(node);
            }
        }
        foreach (var (k, v) in forwards)
        {
            _forward[k] = v;
        }
        foreach (var (k, v) in exclusions)
        {
            _excluded[k] = v;
        }
        foreach (var (key, e) in edges)
        {
            EnsureNode(e.U);
            EnsureNode(e.V);
            _edges[key] = e;
            Adjacent(e.U).Add(key);
            Adjacent(e.V).Add(key);
        }
    }

    void EnsureNode(string node)
    {
        if (_clusterOf.ContainsKey(node))
        {
            return;
        }
        var id = newClusterId();
        _clusterOf[node] = id;
        _members[id] = new(StringComparer.Ordinal) { node };
        _tagged[id] = isTagged(node) ? new(StringComparer.Ordinal) { node } : new(StringComparer.Ordinal);
    }

    HashSet<string> Adjacent(string node)
    {
        if (!_adjacency.TryGetValue(node, out var a))
        {
            _adjacency[node] = a = new(StringComparer.Ordinal);
        }
        return a;
    }

    void Union(string a, string b)
    {
        if (a == b)
        {
            return;
        }
        var (winner, loser) = _members[a].Count >= _members[b].Count ? (a, b) : (b, a);
        var winnerMembers = _members[winner];
        var loserMembers = _members[loser];
        _events.Add(new ClusterMergeEvent(winner, loser, winnerMembers.Count, loserMembers.Count,
            [.. _tagged[winner]], [.. _tagged[loser]], [.. loserMembers.Take(SampleSize)]));
        foreach (var m in loserMembers)
        {
            _clusterOf[m] = winner;
            winnerMembers.Add(m);
        }
        _tagged[winner].UnionWith(_tagged[loser]);
        _members.Remove(loser);
        _tagged.Remove(loser);
        _forward[loser] = winner;
        if (_dirty.Remove(loser))
        {
            _dirty.Add(winner);
        }
    }

    void Recompute(string id)
    {
        var members = _members[id];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var parts = new List<HashSet<string>>();
        foreach (var start in members)
        {
            if (!seen.Add(start))
            {
                continue;
            }
            var part = new HashSet<string>(StringComparer.Ordinal) { start };
            var queue = new Queue<string>();
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                var n = queue.Dequeue();
                foreach (var (_, e) in EdgesAt(n))
                {
                    if (!IsActive(e))
                    {
                        continue;
                    }
                    var peer = e.U == n ? e.V : e.U;
                    if (seen.Add(peer))
                    {
                        part.Add(peer);
                        queue.Enqueue(peer);
                    }
                }
            }
            parts.Add(part);
        }
        if (parts.Count <= 1)
        {
            return;
        }
        parts.Sort((x, y) => y.Count != x.Count ? y.Count.CompareTo(x.Count) : string.CompareOrdinal(x.Min(), y.Min()));
        var result = new List<ClusterPart>();
        for (var i = 0; i < parts.Count; i++)
        {
            var partId = i == 0 ? id : newClusterId();
            _members[partId] = parts[i];
            _tagged[partId] = new HashSet<string>(parts[i].Where(isTagged), StringComparer.Ordinal);
            foreach (var m in parts[i])
            {
                _clusterOf[m] = partId;
            }
            result.Add(new ClusterPart(partId, parts[i].Count, [.. _tagged[partId]]));
        }
        _events.Add(new ClusterSplitEvent(id, result));
    }
}

/// <summary>An undirected edge of the correlation graph (U is the declaring source).</summary>
public readonly record struct ForestEdge(string U, string V, string Kind);
