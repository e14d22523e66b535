using ThreatGraph.Bench.Runner.Data;
using ThreatGraph.Bench.Runner.Systems;

namespace ThreatGraph.Bench.Runner.Workloads;

/// <summary>Ingest-to-subscriber latency with 100 subscribers: a placeholder until subscriptions exist (issue 3).
/// Every system reports n/a; when ThreatGraph gets subscriptions, implement it here and in the two ThreatGraph
/// systems.</summary>
public sealed class SubscriptionLatencyWorkload : Workload
{
    public override string Key => "subscription";
    public override string Title => "Ingest-to-subscriber latency, 100 subscribers";
    public override Capability Capability => Capability.Subscription;
    public override double BaseRate => 10;

    public override void Prepare(Dataset data, GraphAlgorithms oracle, Random rng)
    {
    }

    public override Task<bool> RunOneAsync(IGraphSystem system, int i, CancellationToken ct) =>
        throw new NotSupportedException("subscriptions are not built yet (issue 3)");
}
