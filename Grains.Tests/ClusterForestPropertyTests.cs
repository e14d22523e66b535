using CsCheck;
using QuikGraph;
using QuikGraph.Algorithms.ConnectedComponents;
using ThreatGraph.Grains.Correlation;

namespace ThreatGraph.Grains.Tests;

/// <summary>
/// The incremental clusters (union by size on insert, recomputation by traversal on removal/exclusion) always equal the
/// connected components that QuikGraph computes from scratch on the same edges.
/// </summary>
public sealed class ClusterForestPropertyTests
{
    public const int Sequences = 600;

    /// <summary>One step: 0–5 add edge e{A} between n{B % 10} and n{C % 10}; 6–7 remove e{A}; 8 toggle exclusion of n{B % 10}; 9 commit.</summary>
    public readonly record struct Op(int Kind, int A, int B, int C)
    {
        public override string ToString() => Kind switch
        {
            <= 5 => $"add e{A}:n{B % 10}-n{C % 10}",
            <= 7 => $"remove e{A}",
            8 => $"toggle n{B % 10}",
            _ => "commit",
        };
    }

    static readonly Gen<Op> OpGen = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 24], Gen.Int[0, 99], Gen.Int[0, 99], (k, a, b, c) => new Op(k, a, b, c));

    [Fact]
    public void Incremental_clusters_equal_connected_components_recomputed_from_scratch()
    {
        var count = 0;
        OpGen.Array[1, 80].Sample(ops =>
        {
            Interlocked.Increment(ref count);
            Replay(ops);
        }, iter: Sequences, print: ops => string.Join("; ", ops));
        Assert.True(count >= Sequences, $"only {count} sequences ran");
    }

    /// <summary>Applies the ops to a forest and to a plain model, checking after every commit and at the end.</summary>
    static void Replay(IReadOnlyList<Op> ops)
    {
        var next = 0;
        var forest = new ClusterForest(() => "cluster--" + next++, id => id.EndsWith('0') || id.EndsWith('5'));
        var edges = new Dictionary<string, (string U, string V)>();
        var excluded = new HashSet<string>();
        var issued = new HashSet<string>();
        foreach (var op in ops)
        {
            switch (op.Kind)
            {
                case <= 5:
                {
                    var key = $"e{op.A}";
                    var (u, v) = ($"n{op.B % 10}", $"n{op.C % 10}");
                    Assert.Equal(!edges.ContainsKey(key), forest.AddEdge(key, u, v));
                    edges.TryAdd(key, (u, v));
                    break;
                }
                case <= 7:
                    Assert.Equal(edges.Remove($"e{op.A}"), forest.RemoveEdge($"e{op.A}"));
                    break;
                case 8:
                {
                    var n = $"n{op.B % 10}";
                    var exclude = excluded.Add(n);
                    if (!exclude)
                    {
                        excluded.Remove(n);
                    }
                    forest.SetExcluded(n, exclude ? "test" : null);
                    break;
                }
                default:
                    forest.Commit();
                    Check(forest, edges, excluded, issued);
                    break;
            }
        }
        forest.Commit();
        Check(forest, edges, excluded, issued);
    }

    static void Check(ClusterForest forest, Dictionary<string, (string U, string V)> edges, HashSet<string> excluded, HashSet<string> issued)
    {
        var graph = new UndirectedGraph<string, UndirectedEdge<string>>(allowParallelEdges: true);
        graph.AddVertexRange(forest.Nodes);
        foreach (var (u, v) in edges.Values)
        {
            Assert.True(graph.ContainsVertex(u) && graph.ContainsVertex(v), $"forest lost a node of edge {u}-{v}");
            if (u != v && !excluded.Contains(u) && !excluded.Contains(v))
            {
                graph.AddEdge(new UndirectedEdge<string>(string.CompareOrdinal(u, v) < 0 ? u : v, string.CompareOrdinal(u, v) < 0 ? v : u));
            }
        }
        var algorithm = new ConnectedComponentsAlgorithm<string, UndirectedEdge<string>>(graph);
        algorithm.Compute();

        var expected = Partition(algorithm.Components);
        var actual = Partition(forest.Nodes.ToDictionary(n => n, n => forest.ClusterOf(n)!));
        Assert.Equal(expected, actual);

        var liveTotal = 0;
        foreach (var cluster in forest.Clusters)
        {
            var members = forest.Members(cluster);
            liveTotal += members.Count;
            Assert.Equal(members.Count, forest.Size(cluster));
            Assert.All(members, m => Assert.Equal(cluster, forest.ClusterOf(m)));
            Assert.Equal(members.Where(m => m.EndsWith('0') || m.EndsWith('5')).Order(), forest.Tagged(cluster).Order());
        }
        Assert.Equal(forest.NodeCount, liveTotal);

        // Forwarding: every cluster id ever handed out still resolves to a live cluster.
        issued.UnionWith(forest.Nodes.Select(n => forest.ClusterOf(n)!));
        Assert.All(issued, id => Assert.NotNull(forest.Resolve(id)));
    }

    static SortedSet<string> Partition<TKey>(IDictionary<string, TKey> assignment) where TKey : notnull =>
        new(assignment.GroupBy(x => x.Value).Select(g => string.Join(",", g.Select(x => x.Key).Order(StringComparer.Ordinal))), StringComparer.Ordinal);

    [Fact]
    public void Union_by_size_keeps_the_larger_id_and_forwards_the_smaller()
    {
        var next = 0;
        var forest = new ClusterForest(() => "c" + next++, _ => false);
        forest.AddEdge("a", "x1", "x2");
        forest.AddEdge("b", "x2", "x3");
        var big = forest.ClusterOf("x1")!;
        forest.AddEdge("c", "y1", "y2");
        var small = forest.ClusterOf("y1")!;
        forest.AddEdge("d", "y2", "x3");
        var events = forest.Commit();
        Assert.Equal(big, forest.ClusterOf("y1"));
        Assert.Equal(big, forest.Resolve(small));
        var merge = Assert.IsType<ClusterMergeEvent>(events[^1]);
        Assert.Equal((big, small, 3, 2), (merge.Winner, merge.Loser, merge.WinnerSizeBefore, merge.LoserSize));

        forest.RemoveEdge("d");
        var split = Assert.IsType<ClusterSplitEvent>(Assert.Single(forest.Commit()));
        Assert.Equal(big, split.From);
        Assert.Equal([3, 2], split.Parts.Select(p => p.Size));
        Assert.Equal(big, forest.ClusterOf("x1"));
        Assert.NotEqual(big, forest.ClusterOf("y1"));
    }
}
