using System.Collections.Concurrent;
using GraphQL.DataLoader;
using ThreatGraph.GraphApi.Schema;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.GraphApi.DataLoaders;

/// <summary>
/// Node reads for one request, batched per GraphQL level and cached by id (scoped service). Nodes answer for the
/// caller in the RequestContext: what the caller may not see loads as null, exactly like an unknown id.
/// Remembers which objects the request returned or wrote, for the audit record.
/// </summary>
public sealed class NodeByIdLoader
{
    readonly BatchLoader<string, StixNode> _batch;
    readonly ConcurrentDictionary<string, byte> _touched = new(StringComparer.Ordinal);

    public NodeByIdLoader(IGrainFactory grains) => _batch = new(async (ids, ct) =>
    {
        var found = new Dictionary<string, StixNode>(StringComparer.Ordinal);
        // The local traversal worker reads them with one call per silo (node grains are placed by id).
        foreach (var chunk in ids.Chunk(256))
        {
            var views = chunk.Length == 1
                ? [await grains.GetNode(chunk[0]).GetViewAsync()] // one node: no batch to spread
                : await grains.GetGrain<ITraversalGrain>(0).GetViewsAsync(chunk);
            foreach (var view in views.OfType<ThreatGraph.Contracts.Model.NodeView>())
            {
                found[view.Id] = new StixNode(view);
                _touched.TryAdd(view.Id, 0);
            }
        }
        return found;
    });

    public IDataLoaderResult<StixNode?> Load(string id) => _batch.Load(id);

    public Task<StixNode?> LoadNowAsync(string id, CancellationToken ct) => _batch.LoadNowAsync(id, ct);

    public void Touch(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            _touched.TryAdd(id, 0);
        }
    }

    public IEnumerable<string> TouchedIds => _touched.Keys;
}
