using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Nodes;

/// <summary>Node grain for cyber-observable (SCO).</summary>
[Placement.NodePlacement]
public sealed class ObservableGrain([PersistentState("node", StorageNames.Graph)] IPersistentState<NodeState> state)
    : NodeGrain(state), IObservableGrain;
