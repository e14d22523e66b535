using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Nodes;

/// <summary>Node grain for every other STIX type: <see cref="NodeGrain"/>'s behaviour.</summary>
[Placement.NodePlacement]
public sealed class StixObjectGrain([PersistentState("node", StorageNames.Graph)] IPersistentState<NodeState> state)
    : NodeGrain(state), IStixObjectGrain;
