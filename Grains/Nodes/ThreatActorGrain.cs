using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Nodes;

/// <summary>Node grain for threat-actor and intrusion-set: <see cref="NodeGrain"/>'s behaviour, under a grain type of its own (stored state is keyed by it).</summary>
[Placement.NodePlacement]
public sealed class ThreatActorGrain([PersistentState("node", StorageNames.Graph)] IPersistentState<NodeState> state)
    : NodeGrain(state), IThreatActorGrain;
