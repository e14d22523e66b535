namespace ThreatGraph.Grains.Nodes;

/// <summary>Node grain for cyber-observable (SCO).</summary>
public sealed class ObservableGrain([PersistentState("node", StorageNames.Graph)] IPersistentState<NodeState> state)
    : NodeGrain(state), IObservableGrain;
