using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts.Security;
using Orleans.Storage;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Edges;

/// <summary>
/// One bounded slice of a supernode's adjacency. The key index lives in memory only (rebuilt on activation), so the
/// stored state is just the edges. A write that meets an ETag conflict re-reads and re-applies once.
/// </summary>
public sealed class EdgeShardGrain([PersistentState("edges", StorageNames.Graph)] IPersistentState<EdgeShardState> state)
    : Grain, IEdgeShardGrain
{
    Dictionary<string, int> _positions = new(StringComparer.Ordinal);

    /// <summary>The node the shard belongs to (key <c>{nodeId}/{i}</c>): edge ids are derived from it.</summary>
    string NodeId => EdgeSharding.NodeOf(this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Unpack();
        return Task.CompletedTask;
    }

    void Unpack()
    {
        state.State.Edges = state.State.Packed is { } packed ? [.. EdgePacking.Unpack(NodeId, packed)] : [];
        state.State.Packed = null;
        Reindex();
    }

    public Task<ShardUpdate> UpdateExistingAsync(IReadOnlyList<Edge> edges) => ApplyAsync(() =>
    {
        var found = new List<string>();
        var changed = false;
        foreach (var edge in edges)
        {
            var key = edge.Key;
            if (_positions.TryGetValue(key, out var at))
            {
                found.Add(key);
                if (!EdgeComparer.Same(state.State.Edges[at], edge))
                {
                    state.State.Edges[at] = edge;
                    changed = true;
                }
            }
        }
        return (new ShardUpdate(found, state.State.Edges.Count), changed);
    });

    public Task<int> AppendAsync(IReadOnlyList<Edge> edges) => ApplyAsync(() =>
    {
        var changed = false;
        foreach (var edge in edges)
        {
            var key = edge.Key;
            if (_positions.TryGetValue(key, out var at))
            {
                if (!EdgeComparer.Same(state.State.Edges[at], edge))
                {
                    state.State.Edges[at] = edge;
                    changed = true;
                }
            }
            else
            {
                _positions[key] = state.State.Edges.Count;
                state.State.Edges.Add(edge);
                changed = true;
            }
        }
        return (state.State.Edges.Count, changed);
    });

    public Task<int> RemoveAsync(IReadOnlyList<Edge> edges) => ApplyAsync(() =>
    {
        var keys = edges.Select(e => e.Key).Where(_positions.ContainsKey).ToHashSet(StringComparer.Ordinal);
        if (keys.Count > 0)
        {
            state.State.Edges.RemoveAll(e => keys.Contains(e.Key));
            Reindex();
        }
        return (state.State.Edges.Count, keys.Count > 0);
    });

    public Task<int> UpdatePeerAccessAsync(IReadOnlyDictionary<string, IReadOnlyList<AccessDescriptor>> peers) => ApplyAsync(() =>
    {
        var edges = state.State.Edges;
        var changed = 0;
        for (var i = 0; i < edges.Count; i++)
        {
            if (peers.TryGetValue(edges[i].PeerId, out var summary) && !AccessSummary.Same(edges[i].PeerAccess, summary))
            {
                edges[i] = edges[i] with { PeerAccess = summary };
                changed++;
            }
        }
        return (changed, changed > 0);
    });

    public Task<int> CountAsync() => Task.FromResult(state.State.Edges.Count);

    public Task<IReadOnlyList<string>> PeerIdsAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.Edges.Select(e => e.PeerId).Distinct(StringComparer.Ordinal)]);

    public Task<EdgePage> QueryAsync(EdgeQuery query) => Task.FromResult(EdgeFilter.Page(state.State.Edges, query,
        EdgeVisibility.For(ServiceProvider.GetRequiredService<AccessPolicy>(), CallerContext.Current)));

    async Task<T> ApplyAsync<T>(Func<(T Result, bool Write)> apply)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (result, write) = apply();
            if (!write)
            {
                return result;
            }
            try
            {
                state.State.Packed = EdgePacking.Pack(NodeId, state.State.Edges);
                await state.WriteStateAsync();
                state.State.Packed = null;
                return result;
            }
            catch (InconsistentStateException) when (attempt == 0)
            {
                // Someone else wrote this shard (only possible with two activations): take theirs, apply ours again.
                await state.ReadStateAsync();
                Unpack();
            }
        }
    }

    void Reindex()
    {
        _positions = new Dictionary<string, int>(state.State.Edges.Count, StringComparer.Ordinal);
        for (var i = 0; i < state.State.Edges.Count; i++)
        {
            _positions[state.State.Edges[i].Key] = i;
        }
    }
}
