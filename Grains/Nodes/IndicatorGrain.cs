using ThreatGraph.Grains.Lifecycle;

namespace ThreatGraph.Grains.Nodes;

/// <summary>Node grain for indicator: also decays and expires (README "Lifecycle and severity").</summary>
[Placement.NodePlacement]
public sealed class IndicatorGrain([PersistentState("node", StorageNames.Graph)] IPersistentState<NodeState> state)
    : NodeGrain(state), IIndicatorGrain
{
    public Task<LifecycleStep> CheckAsync() => CheckLifecycleAsync();

    public Task<LifecycleStep> ReviveAsync(IReadOnlyList<Security.AccessDescriptor> sightings) => ReviveLifecycleAsync(sightings);
}
