using ThreatGraph.Bench.Runner.Data;
using ThreatGraph.Bench.Runner.Systems;

namespace ThreatGraph.Bench.Runner.Workloads;

/// <summary>Point lookup of random existing nodes by STIX id; right when the type comes back.</summary>
public sealed class LookupWorkload : Workload
{
    int[] _nodes = [];
    Dataset _data = null!;

    public override string Key => "lookup";
    public override string Title => "Point lookup by id";
    public override Capability Capability => Capability.Lookup;
    public override double BaseRate => 250;

    public override void Prepare(Dataset data, GraphAlgorithms oracle, Random rng)
    {
        _data = data;
        _nodes = [.. Enumerable.Range(0, 4096).Select(_ => rng.Next(data.NodeCount))];
    }

    public int PickNode(int i) => _nodes[i % _nodes.Length];

    public override async Task<bool> RunOneAsync(IGraphSystem system, int i, CancellationToken ct)
    {
        var node = PickNode(i);
        return await system.LookupAsync(_data.Ids[node], ct) == _data.Types[node];
    }
}
