using System.Diagnostics;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Bench.Correlation;

/// <summary>In process: the cost of one merge and one split as a cluster grows (the pure cluster logic a cluster grain runs).</summary>
public static class ClusterMergeCost
{
    public static void Run()
    {
        Console.WriteLine("merge and split cost by cluster size (pure cluster logic of one cluster grain, median of 5):");
        Console.WriteLine("  size    absorb a cluster of `size` (µs)    cut it off again by removing the bridge (µs)");
        foreach (var size in new[] { 1_000, 10_000, 100_000, 200_000 })
        {
            var merges = new List<double>();
            var splits = new List<double>();
            for (var run = 0; run < 5; run++)
            {
                var a = new ClusterGraph();
                var b = new Dictionary<string, ClusterLink>();
                for (var i = 1; i < size; i++)
                {
                    a.Add($"a{i}", new ClusterLink($"a{i - 1}", $"a{i}", "uses", null));
                    b[$"b{i}"] = new ClusterLink($"b{i - 1}", $"b{i}", "uses", null);
                }
                var clock = Stopwatch.StartNew();
                foreach (var (key, link) in b)
                {
                    a.Add(key, link);
                }
                a.Add("bridge", new ClusterLink("a0", "b0", "uses", null));
                merges.Add(clock.Elapsed.TotalMicroseconds);
                clock.Restart();
                a.Remove(["bridge"]);
                splits.Add(clock.Elapsed.TotalMicroseconds);
            }
            Console.WriteLine($"  {size,7}  {Percentiles.Median(merges),12:F0}                        {Percentiles.Median(splits),12:F0}");
        }
        // A node joining a big cluster (the common case: a new indicator) is one link added.
        var g = new ClusterGraph();
        for (var i = 1; i < 200_000; i++)
        {
            g.Add($"a{i}", new ClusterLink($"a{i - 1}", $"a{i}", "uses", null));
        }
        var c = Stopwatch.StartNew();
        for (var i = 0; i < 10_000; i++)
        {
            g.Add($"n{i}", new ClusterLink($"a{i}", $"new{i}", "uses", null));
        }
        Console.WriteLine($"  a new node joining a 200,000-member cluster: {c.Elapsed.TotalMicroseconds / 10_000:F2} µs each");
    }
}
