namespace ThreatGraph.Grains.Nodes;

/// <summary>Node grain for incident.</summary>
[Placement.NodePlacement]
public sealed class IncidentGrain([PersistentState("node", StorageNames.Graph)] IPersistentState<NodeState> state)
    : NodeGrain(state), IIncidentGrain;
