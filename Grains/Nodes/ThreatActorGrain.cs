using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Nodes;

/// <summary>Node grain for threat-actor and intrusion-set.</summary>
[Placement.NodePlacement]
public sealed class ThreatActorGrain([PersistentState("node", StorageNames.Graph)] IPersistentState<NodeState> state)
    : NodeGrain(state), IThreatActorGrain;
