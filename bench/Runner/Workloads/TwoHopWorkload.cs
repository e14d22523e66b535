using ThreatGraph.Bench.Generator;
using ThreatGraph.Bench.Runner.Data;
using ThreatGraph.Bench.Runner.Systems;

namespace ThreatGraph.Bench.Runner.Workloads;

/// <summary>
/// The 2-hop neighbourhood (any edge kind, both directions, at most <see cref="Limits.NeighbourhoodNodes"/> nodes)
/// of random nodes, or of nodes next to a supernode (domains resolving to a public resolver, indicators of a
/// popular malware family). Right when the node count equals the oracle's; a capped answer counts as right when the
/// oracle's is capped too.
/// </summary>
public sealed class TwoHopWorkload(bool supernode) : Workload
{
    (string Id, int Expected)[] _seeds = [];

    public override string Key => supernode ? "twohop-super" : "twohop";
    public override string Title => supernode ? "2-hop neighbourhood, seeds next to a supernode" : "2-hop neighbourhood, random seeds";
    public override Capability Capability => Capability.TwoHop;
    public override double BaseRate => supernode ? 20 : 50;

    public override void Prepare(Dataset data, GraphAlgorithms oracle, Random rng)
    {
        var seeds = new List<int>();
        if (supernode)
        {
            var supers = data.Truth.Resolvers.Concat(data.Truth.PopularMalware).Select(id => data.Index[id]).ToList();
            foreach (var s in supers)
            {
                var ns = data.NeighboursOf(s).ToArray();
                for (var k = 0; k < 160 && ns.Length > 0; k++) seeds.Add(ns[rng.Next(ns.Length)]);
            }
        }
        else
        {
            // Enough that each system's first step (500 asks) reads seeds no earlier system read (RunCommand.InputStride).
            for (var k = 0; k < 5_120; k++) seeds.Add(rng.Next(data.NodeCount));
        }
        _seeds = [.. seeds.Select(s => (data.Ids[s], oracle.Neighbourhood(s, 2, Limits.NeighbourhoodNodes)))];
    }

    public (string Id, int Expected) Seed(int i) => _seeds[i % _seeds.Length];

    public static bool Matches(int got, int expected) =>
        got == expected || (expected >= Limits.NeighbourhoodNodes - 1 && got >= Limits.NeighbourhoodNodes - 1);

    public override async Task<bool> RunOneAsync(IGraphSystem system, int i, CancellationToken ct)
    {
        var (id, expected) = Seed(i);
        return Matches(await system.TwoHopAsync(id, ct), expected);
    }
}
