using Orleans.Placement;
using Orleans.Runtime.Placement;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Placement;

/// <summary>
/// Places a node grain on the silo its STIX id hashes to (<see cref="SiloSlots.SlotOf(string, int)"/>), so that a
/// traversal knows where each frontier node lives without asking and reads a whole level with one call per silo
/// (<see cref="Traversal.NodeBatch"/>). The hash is stable across processes; a node activated before the cluster
/// changed size stays where it is (only the locality of that one read is lost, never an answer).
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("ThreatGraph.Grains.Placement.NodePlacement")]
public sealed class NodePlacement : PlacementStrategy;

/// <summary>See <see cref="NodePlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class NodePlacementAttribute() : PlacementAttribute(new NodePlacement());

/// <summary>See <see cref="NodePlacement"/>.</summary>
public sealed class NodePlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = SiloSlots.Ordered(context.GetCompatibleSilos(target));
        return Task.FromResult(silos[SiloSlots.SlotOf(target.GrainIdentity.Key.ToString()!, silos.Length)]);
    }
}
