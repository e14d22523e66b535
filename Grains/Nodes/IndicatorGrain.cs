namespace ThreatGraph.Grains.Nodes;

/// <summary>Node grain for indicator.</summary>
[Placement.NodePlacement]
public sealed class IndicatorGrain([PersistentState("node", StorageNames.Graph)] IPersistentState<NodeState> state)
    : NodeGrain(state), IIndicatorGrain;
