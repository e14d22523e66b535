using System.Collections.Concurrent;

namespace ThreatGraph.Contracts;

/// <summary>
/// Grain references without reflection. Orleans' <c>GetGrain&lt;T&gt;(string)</c> resolves the interface type from its
/// attributes on every call — about a tenth of the CPU of an ingest, measured with dotnet-trace, since ingest and
/// traversals take a reference per node touched. This resolves each interface once and then builds references from
/// the grain id directly.
/// </summary>
public static class GrainReferences
{
    static readonly ConcurrentDictionary<Type, (GrainType Type, GrainInterfaceType Interface)> Resolved = new();

    public static T Reference<T>(this IGrainFactory grains, string key) where T : IGrainWithStringKey
    {
        if (Resolved.TryGetValue(typeof(T), out var r))
        {
            return (T)grains.GetGrain(GrainId.Create(r.Type, key), r.Interface);
        }
        var grain = grains.GetGrain<T>(key);
        var reference = (GrainReference)(object)grain;
        Resolved.TryAdd(typeof(T), (reference.GrainId.Type, reference.InterfaceType));
        return grain;
    }
}
