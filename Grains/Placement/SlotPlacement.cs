using Orleans.Placement;
using Orleans.Runtime.Placement;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Placement;

/// <summary>
/// Places the grain with integer key <c>k</c> on the <c>k mod n</c>-th of the cluster's <c>n</c> silos in address
/// order (<see cref="SiloSlots"/>), so that a handful of grains is spread exactly evenly (8 on 3 silos: 3, 3, 2) and a
/// caller can address "a grain on silo s". Orleans' hash-based and random placement leave a handful of grains unevenly
/// spread (measured: 6, 2, 0), and its default placement gathers them on the silo that first calls. Every silo
/// computes the same answer from the same membership; a grain stays where it is until its silo leaves.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("ThreatGraph.Grains.Placement.SlotPlacement")]
public sealed class SlotPlacement : PlacementStrategy;

/// <summary>See <see cref="SlotPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SlotPlacementAttribute() : PlacementAttribute(new SlotPlacement());

/// <summary>See <see cref="SlotPlacement"/>.</summary>
public sealed class SlotPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = SiloSlots.Ordered(context.GetCompatibleSilos(target));
        return Task.FromResult(silos[SiloSlots.SlotOf(target.GrainIdentity.GetIntegerKey(), silos.Length)]);
    }
}
