using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts.Security;
using Orleans.Storage;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Edges;

/// <summary>
/// One bounded slice of a supernode's adjacency. The key index lives in memory only, so the stored state is just the
/// edges. The first read goes over the packed form the activation loaded; a second read or a write unpacks the edges and builds the index
/// (as a node does: see <c>NodeGrain.InlineEdges</c>). A write that meets an ETag conflict re-reads and re-applies once.
/// </summary>
public sealed class EdgeShardGrain([PersistentState("edges", StorageNames.Graph)] IPersistentState<EdgeShardState> state)
    : Grain, IEdgeShardGrain
{
    Dictionary<string, int> _positions = new(StringComparer.Ordinal);

    /// <summary>The edges, for reading: the activation's first read unpacks them as it goes, a second one (or a write)
    /// for good, as a node's (<c>NodeGrain.InlineEdges</c>).</summary>
    IEnumerable<Edge> Current
    {
        get
        {
            if (state.State.Packed is { } packed && ++_packedReads < NodeGrain.UnpackOnRead)
            {
                return EdgePacking.Unpack(NodeId, packed);
            }
            Unpack();
            return state.State.Edges;
        }
    }

    int _packedReads;

    /// <summary>The edges, to change: unpacked and indexed once per activation.</summary>
    List<Edge> Mutable
    {
        get
        {
            Unpack();
            return state.State.Edges;
        }
    }

    /// <summary>The node the shard belongs to (key <c>{nodeId}/{i}</c>): edge ids are derived from it.</summary>
    string NodeId => EdgeSharding.NodeOf(this.GetPrimaryKeyString());

    void Unpack()
    {
        if (state.State.Packed is { } packed)
        {
            state.State.Edges = [.. EdgePacking.Unpack(NodeId, packed)];
            state.State.Packed = null;
            Reindex();
        }
    }

    public Task<ShardUpdate> UpdateExistingAsync(IReadOnlyList<Edge> edges) => ApplyAsync(() =>
    {
        var found = new List<string>();
        var changed = false;
        var mine = Mutable;
        foreach (var edge in edges)
        {
            var key = edge.Key;
            if (_positions.TryGetValue(key, out var at))
            {
                found.Add(key);
                if (!EdgeComparer.Same(mine[at], edge))
                {
                    mine[at] = edge;
                    changed = true;
                }
            }
        }
        return (new ShardUpdate(found, mine.Count), changed);
    });

    public Task<int> AppendAsync(IReadOnlyList<Edge> edges) => ApplyAsync(() =>
    {
        var changed = false;
        var mine = Mutable;
        foreach (var edge in edges)
        {
            var key = edge.Key;
            if (_positions.TryGetValue(key, out var at))
            {
                if (!EdgeComparer.Same(mine[at], edge))
                {
                    mine[at] = edge;
                    changed = true;
                }
            }
            else
            {
                _positions[key] = mine.Count;
                mine.Add(edge);
                changed = true;
            }
        }
        return (mine.Count, changed);
    });

    public Task<int> RemoveAsync(IReadOnlyList<Edge> edges) => ApplyAsync(() =>
    {
        var mine = Mutable;
        var keys = edges.Select(e => e.Key).Where(_positions.ContainsKey).ToHashSet(StringComparer.Ordinal);
        if (keys.Count > 0)
        {
            mine.RemoveAll(e => keys.Contains(e.Key));
            Reindex();
        }
        return (mine.Count, keys.Count > 0);
    });

    public Task<int> UpdatePeerAccessAsync(IReadOnlyDictionary<string, IReadOnlyList<AccessDescriptor>> peers) => ApplyAsync(() =>
    {
        if (!Current.Any(e => peers.TryGetValue(e.PeerId, out var s) && !AccessSummary.Same(e.PeerAccess, s)))
        {
            return (0, false);
        }
        var edges = Mutable;
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

    public Task<int> CountAsync() => Task.FromResult(state.State.Packed?.Edges.Count ?? state.State.Edges.Count);

    public Task<IReadOnlyList<string>> PeerIdsAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. Current.Select(e => e.PeerId).Distinct(StringComparer.Ordinal)]);

    public Task<EdgePage> QueryAsync(EdgeQuery query) => Task.FromResult(EdgeFilter.Page(Current, query,
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
                var unpacked = state.State.Packed is null; // what changed went through Mutable
                if (unpacked)
                {
                    state.State.Packed = EdgePacking.Pack(NodeId, state.State.Edges);
                }
                await state.WriteStateAsync();
                if (unpacked)
                {
                    state.State.Packed = null;
                }
                return result;
            }
            catch (InconsistentStateException) when (attempt == 0)
            {
                // Someone else wrote this shard (only possible with two activations): take theirs, apply ours again.
                await state.ReadStateAsync(); // packed again: apply unpacks and re-indexes them
                _positions = new(StringComparer.Ordinal);
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
