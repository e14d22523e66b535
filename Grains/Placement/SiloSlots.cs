using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;
using Orleans.Runtime.Placement;
using ThreatGraph.Contracts;

namespace ThreatGraph.Grains.Placement;

/// <summary>
/// The cluster's active silos in address order, numbered 0..n-1: the placements (<see cref="NodePlacement"/>,
/// <see cref="SlotPlacement"/>) and the readers that batch by silo (<see cref="Traversal.NodeBatch"/>) compute the same
/// slot from the same membership.
/// </summary>
public sealed class SiloSlots(IClusterMembershipService membership, ILocalSiloDetails local)
{
    /// <summary>The active silos now, and which of them is this one (-1 while it is not yet active).</summary>
    public (int Count, int Local) Current()
    {
        var silos = Ordered(membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress));
        return silos.Length == 0 ? (1, 0) : (silos.Length, Array.IndexOf(silos, local.SiloAddress));
    }

    public static SiloAddress[] Ordered(IEnumerable<SiloAddress> silos) => [.. silos.Order()];

    public static int SlotOf(long key, int silos) => (int)((ulong)key % (ulong)silos);

    /// <summary>FNV-1a over the id's UTF-16 code units: stable across processes and runs, unlike string.GetHashCode.</summary>
    public static int SlotOf(string id, int silos)
    {
        var hash = 2166136261u;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash % (uint)silos);
    }
}

public static class PlacementServiceCollectionExtensions
{
    /// <summary>The placements of node grains and of per-silo grains, and the silo numbering they share.</summary>
    public static IServiceCollection AddThreatGraphPlacement(this IServiceCollection services)
    {
        services.AddPlacementDirector<NodePlacement, NodePlacementDirector>();
        services.AddPlacementDirector<SlotPlacement, SlotPlacementDirector>();
        services.AddSingleton<SiloSlots>();
        return services;
    }
}
