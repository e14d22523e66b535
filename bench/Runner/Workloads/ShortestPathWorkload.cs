using ThreatGraph.Bench.Runner.Data;
using ThreatGraph.Bench.Runner.Systems;

namespace ThreatGraph.Bench.Runner.Workloads;

/// <summary>Shortest path (hop count, ≤ 6, over threat-relationship edges) between two incidents; half the pairs
/// are unreachable within 6 hops (island incidents, or too far). Right when the hop count equals the oracle's.</summary>
public sealed class ShortestPathWorkload : Workload
{
    (string A, string B, int? Hops)[] _pairs = [];

    public override string Key => "path";
    public override string Title => "Shortest path between incidents (≤ 6 hops, half unreachable)";
    public override Capability Capability => Capability.ShortestPath;
    public override double BaseRate => 5;

    public int Reachable => _pairs.Count(p => p.Hops is not null);
    public int Total => _pairs.Length;

    public override void Prepare(Dataset data, GraphAlgorithms oracle, Random rng)
    {
        var incidents = Enumerable.Range(0, data.NodeCount).Where(i => data.Types[i] == "incident").ToArray();
        var reachable = new List<(string, string, int?)>();
        var unreachable = new List<(string, string, int?)>();
        for (var tries = 0; tries < 20_000 && (reachable.Count < 100 || unreachable.Count < 100); tries++)
        {
            var a = incidents[rng.Next(incidents.Length)];
            var b = incidents[rng.Next(incidents.Length)];
            if (a == b) continue;
            var hops = oracle.ShortestPath(a, b, Dataset.PathFlag, Limits.MaxPathHops);
            var list = hops is null ? unreachable : reachable;
            if (list.Count < 100) list.Add((data.Ids[a], data.Ids[b], hops));
        }
        var n = Math.Min(reachable.Count, unreachable.Count);
        _pairs = [.. reachable.Take(n).Zip(unreachable.Take(n)).SelectMany(p => new[] { p.First, p.Second })];
        if (_pairs.Length == 0) throw new InvalidOperationException("no incident pairs found for the shortest-path workload");
    }

    public override async Task<bool> RunOneAsync(IGraphSystem system, int i, CancellationToken ct)
    {
        var (a, b, hops) = _pairs[i % _pairs.Length];
        return await system.ShortestPathAsync(a, b, ct) == hops;
    }
}
