using ThreatGraph.Bench.Runner.Data;
using ThreatGraph.Bench.Runner.Systems;

namespace ThreatGraph.Bench.Runner.Workloads;

/// <summary>Linked campaigns of a campaign (transitively sharing an indicator-named observable): half the campaigns
/// asked are in a planted cluster, half are not. Right when the set equals the generator's truth.</summary>
public sealed class LinkedCampaignsWorkload : Workload
{
    (string Id, HashSet<string> Expected)[] _asks = [];

    public override string Key => "linked";
    public override string Title => "Linked campaigns of a campaign";
    public override Capability Capability => Capability.LinkedCampaigns;
    public override double BaseRate => 10;

    public override void Prepare(Dataset data, GraphAlgorithms oracle, Random rng)
    {
        var truth = data.Truth.CampaignClusters.SelectMany(c => c.Select(id => (id, Set: c.ToHashSet(StringComparer.Ordinal)))).ToList();
        var clustered = truth.Select(t => t.id).ToHashSet(StringComparer.Ordinal);
        var loners = Enumerable.Range(0, data.NodeCount).Where(i => data.Types[i] == "campaign" && !clustered.Contains(data.Ids[i]))
            .OrderBy(_ => rng.Next()).Take(truth.Count).Select(i => (id: data.Ids[i], Set: new HashSet<string>([data.Ids[i]], StringComparer.Ordinal)));
        _asks = [.. truth.Zip(loners).SelectMany(p => new[] { p.First, p.Second })];
        foreach (var (id, expected) in _asks)
        {
            var found = oracle.Reachable(data.Index[id], Dataset.LinkFlag, "campaign").Select(i => data.Ids[i]);
            if (!expected.SetEquals(found)) throw new InvalidOperationException($"truth.json disagrees with the graph for {id}");
        }
    }

    public override async Task<bool> RunOneAsync(IGraphSystem system, int i, CancellationToken ct)
    {
        var (id, expected) = _asks[i % _asks.Length];
        return expected.SetEquals(await system.LinkedCampaignsAsync(id, ct));
    }
}
