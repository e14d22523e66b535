using ThreatGraph.Grains.Ingest;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Grains.Placement;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Traversal;

namespace ThreatGraph.Grains.Traversal;

/// <summary>
/// Reads a set of node grains with at most one remote call per silo: node grains are placed by id
/// (<see cref="NodePlacement"/>), so the ids placed on this silo are read here (local calls) and those of each other
/// silo go in one call to a <see cref="INodeReaderGrain"/> there. On one silo this is exactly one local call per node.
/// </summary>
public sealed class NodeBatch(IGrainFactory grains, SiloSlots slots, int parallelism)
{
    /// <summary>Reader grains per silo, picked at random per call, so that one reader's turns do not queue a busy silo's reads.</summary>
    const int ReadersPerSilo = 4;

    public Task<Dictionary<string, EdgePage>> GetEdgesAsync(IEnumerable<string> ids, EdgeQuery query) =>
        ReadAsync(ids, id => grains.GetNode(id).GetEdgesAsync(query), (reader, group) => reader.GetEdgesAsync(group, query));

    public Task<Dictionary<string, NodeView?>> GetViewsAsync(IEnumerable<string> ids) =>
        ReadAsync(ids, id => grains.GetNode(id).GetViewAsync(), (reader, group) => reader.GetViewsAsync(group));

    async Task<Dictionary<string, T>> ReadAsync<T>(IEnumerable<string> ids, Func<string, Task<T>> local,
        Func<INodeReaderGrain, IReadOnlyList<string>, Task<IReadOnlyList<T>>> remote)
    {
        var (silos, here) = slots.Current();
        var bySilo = ids.Distinct(StringComparer.Ordinal).GroupBy(id => SiloSlots.SlotOf(id, silos)).ToList();
        var answers = new Dictionary<string, T>(StringComparer.Ordinal);
        var calls = bySilo.Where(g => g.Key != here).Select(async group =>
        {
            var batch = group.ToList();
            var reader = grains.GetGrain<INodeReaderGrain>(group.Key + (long)silos * Random.Shared.Next(ReadersPerSilo));
            return (batch, await remote(reader, batch));
        }).ToList();
        if (bySilo.FirstOrDefault(g => g.Key == here) is { } mine)
        {
            await BoundedParallel.ForEachAsync(mine, parallelism, async id =>
            {
                var answer = await local(id);
                lock (answers) // off a grain's scheduler (a client's or the gateway's), continuations may run in parallel
                {
                    answers[id] = answer;
                }
            });
        }
        foreach (var (batch, pages) in await Task.WhenAll(calls))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                answers[batch[i]] = pages[i];
            }
        }
        return answers;
    }
}
