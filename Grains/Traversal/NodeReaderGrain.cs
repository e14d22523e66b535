using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Grains.Placement;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.Grains.Traversal;

/// <summary>See <see cref="INodeReaderGrain"/>. Holds nothing: its calls to the node grains of its silo are local.</summary>
[Reentrant] // no state: many traversals' batches interleave, each awaiting its own node reads
[SlotPlacement]
public sealed class NodeReaderGrain(IOptions<IngestOptions> options) : Grain, INodeReaderGrain
{
    readonly int _parallelism = Math.Max(1, options.Value.MaxParallelism);

    public Task<IReadOnlyList<EdgePage>> GetEdgesAsync(IReadOnlyList<string> ids, EdgeQuery query) =>
        ReadAsync(ids, id => GrainFactory.GetNode(id).GetEdgesAsync(query));

    public Task<IReadOnlyList<NodeView?>> GetViewsAsync(IReadOnlyList<string> ids) =>
        ReadAsync(ids, id => GrainFactory.GetNode(id).GetViewAsync());

    async Task<IReadOnlyList<T>> ReadAsync<T>(IReadOnlyList<string> ids, Func<string, Task<T>> read)
    {
        var answers = new T[ids.Count];
        await BoundedParallel.ForEachAsync(Enumerable.Range(0, ids.Count), _parallelism, async i => answers[i] = await read(ids[i]));
        return answers;
    }
}
