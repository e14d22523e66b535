using ThreatGraph.Bench.Runner.Data;
using ThreatGraph.Bench.Runner.Systems;

namespace ThreatGraph.Bench.Runner.Workloads;

/// <summary>
/// One timed workload: picks its inputs once (deterministically, from the dataset), knows the right answer for each
/// (from the in-memory oracle or the generator's truth), and runs one operation against a system. Adding a
/// workload = one subclass registered in <see cref="All"/>. A system that cannot run <see cref="Capability"/> is
/// reported n/a with its reason, never with made-up numbers.
/// </summary>
public abstract class Workload
{
    public abstract string Key { get; }
    public abstract string Title { get; }
    public abstract Capability Capability { get; }

    /// <summary>First step of the rate ladder (requests/s); each next step is 4×.</summary>
    public abstract double BaseRate { get; }

    public virtual int Steps => 4;

    /// <summary>Other capabilities the workload needs (the mixed workload reads and ingests).</summary>
    public virtual IEnumerable<Capability> AlsoNeeds => [];

    public abstract void Prepare(Dataset data, GraphAlgorithms oracle, Random rng);

    /// <summary>Called before a system's ladder; <paramref name="systemNumber"/> keeps its writes apart from another
    /// system's (the gateway and the client write to the same ThreatGraph).</summary>
    public virtual Task StartSystemAsync(IGraphSystem system, int systemNumber) => Task.CompletedTask;

    /// <summary>Called after a system's ladder: release what <see cref="StartSystemAsync"/> opened.</summary>
    public virtual Task EndSystemAsync() => Task.CompletedTask;

    /// <summary>Runs operation number <paramref name="i"/>; true when the answer is right.</summary>
    public abstract Task<bool> RunOneAsync(IGraphSystem system, int i, CancellationToken ct);

    /// <summary>Null when the system can run it; else why not.</summary>
    public string? Unsupported(IGraphSystem system) =>
        system.Unsupported(Capability) ?? AlsoNeeds.Select(system.Unsupported).FirstOrDefault(r => r is not null);

    public static IReadOnlyList<Workload> All(int seed) =>
    [
        new LookupWorkload(),
        new TwoHopWorkload(supernode: false),
        new TwoHopWorkload(supernode: true),
        new ShortestPathWorkload(),
        new LinkedCampaignsWorkload(),
        new MixedWorkload(seed),
        new SubscriptionLatencyWorkload(seed),
    ];
}
