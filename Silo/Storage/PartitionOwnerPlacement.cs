using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace ThreatGraph.Silo.Storage;

/// <summary>
/// Places the owner of partition <c>p</c> (<see cref="StatePartitionGrain"/>) on the <c>p mod n</c>-th of the
/// cluster's <c>n</c> silos in address order, so that the owners, and the storage work they do, are spread evenly
/// (8 partitions on 3 silos: 3, 3, 2). Orleans' hash-based and random placement leave a handful of grains unevenly
/// spread (measured: 6, 2, 0), and its default placement gathers them on the silo that first writes. Every silo
/// computes the same answer from the same membership; an owner stays where it is until its silo leaves.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("ThreatGraph.Silo.Storage.PartitionOwnerPlacement")]
public sealed class PartitionOwnerPlacement : PlacementStrategy;

/// <summary>See <see cref="PartitionOwnerPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PartitionOwnerPlacementAttribute() : PlacementAttribute(new PartitionOwnerPlacement());

/// <summary>See <see cref="PartitionOwnerPlacement"/>.</summary>
public sealed class PartitionOwnerPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target).Order().ToArray();
        var partition = target.GrainIdentity.GetIntegerKey();
        return Task.FromResult(silos[(int)((ulong)partition % (ulong)silos.Length)]);
    }
}
