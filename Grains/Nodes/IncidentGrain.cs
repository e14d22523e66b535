using ThreatGraph.Grains.Severity;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Severity;

namespace ThreatGraph.Grains.Nodes;

/// <summary>Node grain for incident: also keeps analysts' severity overrides.</summary>
[Placement.NodePlacement]
public sealed class IncidentGrain([PersistentState("node", StorageNames.Graph)] IPersistentState<NodeState> state)
    : NodeGrain(state), IIncidentGrain
{
    public Task<SeverityOverrideResult> SetSeverityAsync(int? level, string reason) => OverrideSeverityAsync(level, reason);
}
