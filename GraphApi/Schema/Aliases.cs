using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Stix;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.GraphApi.Schema;

/// <summary>Observable alias ids (an SCO sent with a random id) read as their canonical observable.</summary>
public static class Aliases
{
    public static async Task<string> CanonicalAsync(IResolveFieldContext c, string id)
    {
        if (StixTypes.TypeOfId(id) is not { } type || !StixTypes.IsObservable(type))
        {
            return id;
        }
        var grains = c.RequestServices!.GetRequiredService<IGrainFactory>();
        var resolved = await grains.GetGrain<IAliasRegistryGrain>(IAliasRegistryGrain.DefaultKey).ResolveAsync([id]);
        return resolved.GetValueOrDefault(id, id);
    }
}
