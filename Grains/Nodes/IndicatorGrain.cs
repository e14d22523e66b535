using ThreatGraph.Contracts.Security;
using ThreatGraph.Grains.Lifecycle;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Lifecycle;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Nodes;

/// <summary>Node grain for indicator: also decays and expires (README "Lifecycle and severity").</summary>
[Placement.NodePlacement]
public sealed class IndicatorGrain([PersistentState("node", StorageNames.Graph)] IPersistentState<NodeState> state)
    : NodeGrain(state), IIndicatorGrain
{
    public Task<LifecycleStep> CheckAsync() => CheckLifecycleAsync();

    public Task<LifecycleStep> ReviveAsync(IReadOnlyList<AccessDescriptor> sightings) => ReviveLifecycleAsync(sightings);
}
