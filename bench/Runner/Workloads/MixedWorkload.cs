using System.Collections.Concurrent;
using ThreatGraph.Bench.Runner.Data;
using ThreatGraph.Bench.Runner.Systems;

namespace ThreatGraph.Bench.Runner.Workloads;

/// <summary>
/// 90% reads while ingest runs at a steady rate: at the step's fixed rate, every tenth operation ingests a new
/// unit (ipv4-addr + indicator + indicates), the others alternate point lookups and random 2-hop neighbourhoods.
/// Each system gets its own range of new units (the gateway and the client write to the same ThreatGraph).
/// </summary>
public sealed class MixedWorkload(int seed) : Workload
{
    readonly LookupWorkload _lookup = new();
    readonly TwoHopWorkload _twoHop = new(supernode: false);
    readonly ConcurrentDictionary<int, DeltaUnit> _units = new();
    IReadOnlyList<string> _malware = [];
    int _systemOffset;

    public override string Key => "mixed";
    public override string Title => "90% reads (lookup, 2-hop) while ingest runs at 10% of the rate";
    public override Capability Capability => Capability.Ingest;
    public override IEnumerable<Capability> AlsoNeeds => [Capability.Lookup, Capability.TwoHop];
    public override double BaseRate => 50;

    public override void Prepare(Dataset data, GraphAlgorithms oracle, Random rng)
    {
        _lookup.Prepare(data, oracle, new Random(rng.Next()));
        _twoHop.Prepare(data, oracle, new Random(rng.Next()));
        _malware = data.Truth.PopularMalware;
    }

    /// <summary>Each system's units never collide with another system's.</summary>
    public override Task StartSystemAsync(IGraphSystem system, int systemNumber)
    {
        _systemOffset = systemNumber * 10_000_000;
        return Task.CompletedTask;
    }

    public DeltaUnit Unit(int index) => _units.GetOrAdd(index, i => DeltaUnit.Create(seed, i, _malware));

    public override async Task<bool> RunOneAsync(IGraphSystem system, int i, CancellationToken ct)
    {
        if (i % 10 == 0)
        {
            var unit = Unit(_systemOffset + i / 10);
            await system.IngestUnitAsync(unit, ct);
            _units.TryRemove(unit.Index, out _);
            return true;
        }
        return i % 2 == 1 ? await _lookup.RunOneAsync(system, i, ct) : await _twoHop.RunOneAsync(system, i, ct);
    }
}
