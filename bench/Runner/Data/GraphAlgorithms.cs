namespace ThreatGraph.Bench.Runner.Data;

/// <summary>Plain single-threaded graph searches over a <see cref="Dataset"/>: the floor, and the oracle.
/// Scratch arrays are reused per instance (not thread-safe: one instance per thread).</summary>
public sealed class GraphAlgorithms(Dataset data)
{
    readonly int[] _mark = new int[data.NodeCount];
    readonly int[] _depth = new int[data.NodeCount];
    readonly int[] _queue = new int[data.NodeCount];
    int _epoch;

    int NextEpoch()
    {
        if (++_epoch == int.MaxValue)
        {
            Array.Clear(_mark);
            _epoch = 1;
        }
        return _epoch;
    }

    /// <summary>Distinct nodes within <paramref name="depth"/> hops (any edge, either direction), the center excluded;
    /// counts at most <paramref name="limit"/>.</summary>
    public int Neighbourhood(int center, int depth, int limit)
    {
        var epoch = NextEpoch();
        _mark[center] = epoch;
        _depth[center] = 0;
        int head = 0, tail = 0, found = 0;
        _queue[tail++] = center;
        while (head < tail)
        {
            var x = _queue[head++];
            if (_depth[x] == depth) continue;
            foreach (var y in data.NeighboursOf(x))
            {
                if (_mark[y] == epoch) continue;
                _mark[y] = epoch;
                _depth[y] = _depth[x] + 1;
                _queue[tail++] = y;
                if (++found >= limit) return found;
            }
        }
        return found;
    }

    /// <summary>Hops from a to b over edges carrying <paramref name="flag"/>, at most <paramref name="maxDepth"/>; null when farther or unreachable.</summary>
    public int? ShortestPath(int a, int b, byte flag, int maxDepth)
    {
        if (a == b) return 0;
        var epoch = NextEpoch();
        _mark[a] = epoch;
        _depth[a] = 0;
        int head = 0, tail = 0;
        _queue[tail++] = a;
        while (head < tail)
        {
            var x = _queue[head++];
            if (_depth[x] == maxDepth) continue;
            var ns = data.NeighboursOf(x);
            var fs = data.FlagsOf(x);
            for (var i = 0; i < ns.Length; i++)
            {
                var y = ns[i];
                if ((fs[i] & flag) == 0 || _mark[y] == epoch) continue;
                if (y == b) return _depth[x] + 1;
                _mark[y] = epoch;
                _depth[y] = _depth[x] + 1;
                _queue[tail++] = y;
            }
        }
        return null;
    }

    /// <summary>Every node reachable from start over edges carrying <paramref name="flag"/> whose type is <paramref name="type"/>, start included when it is.</summary>
    public List<int> Reachable(int start, byte flag, string type)
    {
        var epoch = NextEpoch();
        _mark[start] = epoch;
        int head = 0, tail = 0;
        _queue[tail++] = start;
        var result = new List<int>();
        while (head < tail)
        {
            var x = _queue[head++];
            if (data.Types[x] == type) result.Add(x);
            var ns = data.NeighboursOf(x);
            var fs = data.FlagsOf(x);
            for (var i = 0; i < ns.Length; i++)
            {
                var y = ns[i];
                if ((fs[i] & flag) == 0 || _mark[y] == epoch) continue;
                _mark[y] = epoch;
                _queue[tail++] = y;
            }
        }
        return result;
    }
}
