using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Grains.Correlation;

namespace ThreatGraph.Grains.Nodes;

/// <summary>Node grain for cyber-observables (SCOs), the hubs where reports from different producers meet: every
/// organisation that reports one keeps a report of its own (with its own refs), and one with more linking edges than
/// <c>Correlation:MaxObservableDegree</c> stops linking.</summary>
[Placement.NodePlacement]
public sealed class ObservableGrain([PersistentState("node", StorageNames.Graph)] IPersistentState<NodeState> state)
    : NodeGrain(state), IObservableGrain
{
    protected override bool ReportPerOrganisation => true;

    /// <summary>Counted here, where all its edges are (edges in shards count as linking). The reason never states the
    /// degree: that would count links a reader may not see.</summary>
    protected override string? OverLinkingCap()
    {
        if (ServiceProvider.GetService<CorrelationPolicy>() is not { } policy)
        {
            return null;
        }
        var degree = State.ShardCounts.Sum();
        foreach (var e in InlineEdges)
        {
            if (policy.IsLinking(e.Kind, StixId, e.PeerId) && !e.Revoked && ++degree > policy.MaxObservableDegree)
            {
                break;
            }
        }
        return degree > policy.MaxObservableDegree
            ? $"more linking edges than the cap of {policy.MaxObservableDegree} (Correlation:MaxObservableDegree)"
            : null;
    }
}
