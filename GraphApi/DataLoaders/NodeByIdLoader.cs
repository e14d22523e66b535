using ThreatGraph.Grains.Nodes;
using ThreatGraph.GraphApi.Schema;

namespace ThreatGraph.GraphApi.DataLoaders;

/// <summary>Node reads for one request, batched per GraphQL level and cached by id (scoped service).</summary>
public sealed class NodeByIdLoader(IGrainFactory grains) : BatchLoader<string, StixNode>(async (ids, ct) =>
{
    var found = new Dictionary<string, StixNode>(StringComparer.Ordinal);
    foreach (var chunk in ids.Chunk(64))
    {
        var views = await Task.WhenAll(chunk.Select(id => grains.GetNode(id).GetViewAsync()));
        foreach (var view in views)
        {
            if (view is not null)
            {
                found[view.Id] = new StixNode(view);
            }
        }
    }
    return found;
});
