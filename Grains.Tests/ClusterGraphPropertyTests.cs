using CsCheck;
using QuikGraph;
using QuikGraph.Algorithms.ConnectedComponents;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Grains.Tests;

/// <summary>
/// The cluster logic (one <see cref="ClusterGraph"/> per cluster, merged by absorbing the smaller into the larger, cut
/// by a search from both ends of a removed link) always yields the connected components that QuikGraph computes from
/// scratch on the same links: the clusters' members are exactly the components of two or more nodes.
/// </summary>
public sealed class ClusterGraphPropertyTests
{
    public const int Sequences = 600;

    /// <summary>One step: 0–5 add link e{A} between n{B % 10} and n{C % 10}; 6–8 remove e{A}; 9 exclude n{B % 10} (its links go).</summary>
    public readonly record struct Op(int Kind, int A, int B, int C)
    {
        public override string ToString() => Kind switch
        {
            <= 5 => $"add e{A}:n{B % 10}-n{C % 10}",
            <= 8 => $"remove e{A}",
            _ => $"exclude n{B % 10}",
        };
    }

    static readonly Gen<Op> OpGen = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 24], Gen.Int[0, 99], Gen.Int[0, 99], (k, a, b, c) => new Op(k, a, b, c));

    [Fact]
    public void Clusters_equal_connected_components_recomputed_from_scratch()
    {
        var count = 0;
        OpGen.Array[1, 80].Sample(ops =>
        {
            Interlocked.Increment(ref count);
            Replay(ops);
        }, iter: Sequences, print: ops => string.Join("; ", ops));
        Assert.True(count >= Sequences, $"only {count} sequences ran");
    }

    /// <summary>Applies the ops to a world of clusters the way the correlation writer does, and to a plain edge set.</summary>
    static void Replay(IReadOnlyList<Op> ops)
    {
        var clusters = new List<ClusterGraph>();
        var edges = new Dictionary<string, (string U, string V)>();
        ClusterGraph? Of(string node) => clusters.Find(c => c.Contains(node));
        foreach (var op in ops)
        {
            if (op.Kind <= 5)
            {
                var key = $"e{op.A}";
                var (u, v) = ($"n{op.B % 10}", $"n{op.C % 10}");
                if (u == v || edges.ContainsKey(key))
                {
                    continue;
                }
                edges[key] = (u, v);
                var (cu, cv) = (Of(u), Of(v));
                var winner = cu is null ? cv ?? new ClusterGraph() : cv is null || cu.Size >= cv.Size ? cu : cv;
                if (!clusters.Contains(winner))
                {
                    clusters.Add(winner);
                }
                foreach (var loser in new[] { cu, cv }.OfType<ClusterGraph>().Where(c => !ReferenceEquals(c, winner)).Distinct())
                {
                    foreach (var (k, link) in loser.Links)
                    {
                        winner.Add(k, link);
                    }
                    clusters.Remove(loser);
                }
                Assert.True(winner.Add(key, new ClusterLink(u, v, "uses", null)));
            }
            else if (op.Kind <= 8)
            {
                var key = $"e{op.A}";
                if (edges.Remove(key, out var e) && Of(e.U) is { } c)
                {
                    clusters.AddRange(c.Remove([key]).Parts);
                }
            }
            else
            {
                var n = $"n{op.B % 10}";
                foreach (var key in edges.Where(x => x.Value.U == n || x.Value.V == n).Select(x => x.Key).ToList())
                {
                    edges.Remove(key);
                }
                if (Of(n) is { } c)
                {
                    clusters.AddRange(c.RemoveNodes([n]).Parts);
                }
            }
            clusters.RemoveAll(c => c.Size == 0);
            Check(clusters, edges);
        }
    }

    static void Check(List<ClusterGraph> clusters, Dictionary<string, (string U, string V)> edges)
    {
        var graph = new UndirectedGraph<string, UndirectedEdge<string>>(allowParallelEdges: true);
        foreach (var (u, v) in edges.Values)
        {
            graph.AddVerticesAndEdge(new UndirectedEdge<string>(string.CompareOrdinal(u, v) < 0 ? u : v, string.CompareOrdinal(u, v) < 0 ? v : u));
        }
        var algorithm = new ConnectedComponentsAlgorithm<string, UndirectedEdge<string>>(graph);
        algorithm.Compute();
        var expected = new SortedSet<string>(algorithm.Components.GroupBy(x => x.Value)
            .Select(g => string.Join(",", g.Select(x => x.Key).Order(StringComparer.Ordinal))), StringComparer.Ordinal);
        var actual = new SortedSet<string>(clusters.Select(c => string.Join(",", c.Members.Order(StringComparer.Ordinal))), StringComparer.Ordinal);
        Assert.Equal(expected, actual);
        Assert.Equal(edges.Count, clusters.Sum(c => c.LinkCount));
    }

    [Fact]
    public void A_cut_takes_off_the_smaller_side_with_its_links()
    {
        var g = new ClusterGraph();
        g.Add("a", new ClusterLink("x1", "x2", "uses", null));
        g.Add("b", new ClusterLink("x2", "x3", "uses", null));
        g.Add("c", new ClusterLink("y1", "y2", "uses", null));
        g.Add("bridge", new ClusterLink("y2", "x3", "uses", null));
        var (parts, left) = g.Remove(["bridge"]);
        var part = Assert.Single(parts);
        Assert.Equal(["y1", "y2"], part.Members.Order());
        Assert.Equal(["c"], part.Links.Keys);
        Assert.Equal(["x1", "x2", "x3"], g.Members.Order());
        Assert.Empty(left);

        (parts, left) = g.Remove(["a"]);
        Assert.Empty(parts);
        Assert.Equal(["x1"], left); // alone: no member any more
    }
}
