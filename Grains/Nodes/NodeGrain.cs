using ThreatGraph.Grains.Model;

namespace ThreatGraph.Grains.Nodes;

/// <summary>
/// Shared behaviour of every node grain: STIX versioning and adjacency. Never calls another grain.
/// </summary>
public abstract class NodeGrain(IPersistentState<NodeState> state) : Grain, INodeGrain
{
    protected NodeState State => state.State;
    protected string StixId => this.GetPrimaryKeyString();

    public async Task<UpsertResult> UpsertAsync(StixObjectVersion version)
    {
        if (version.Id != StixId)
        {
            return new(UpsertOutcome.Rejected, [], [], $"object id {version.Id} sent to node {StixId}");
        }

        var exists = State.Versions.Count > 0;
        if (exists && !IsNewer(version))
        {
            // Unchanged. Still hand back the current out-edges: mirroring them again is idempotent, and it heals
            // a previous ingest that stopped between writing this node and writing its peers.
            return new(UpsertOutcome.Unchanged, OwnEdges(), [], "same or older version");
        }

        var previous = OwnEdges().ToDictionary(e => e.Key);
        State.Versions.Add(version.Json);
        State.VersionStamp = version.VersionStamp;
        State.Revoked = version.Revoked;
        State.Markings = [.. version.Markings];

        var added = new List<Edge>();
        foreach (var edge in version.OutEdges)
        {
            if (!previous.Remove(edge.Key, out var old) || !EdgeComparer.Same(old, edge))
            {
                added.Add(edge);
            }
            State.Edges[edge.Key] = edge;
        }
        foreach (var gone in previous.Values)
        {
            State.Edges.Remove(gone.Key);
        }
        State.OwnEdgeKeys = [.. version.OutEdges.Select(e => e.Key)];
        OnVersionApplied(version);
        await state.WriteStateAsync();
        return new(exists ? UpsertOutcome.Updated : UpsertOutcome.Created, added, [.. previous.Values]);
    }

    public async Task AddEdgesAsync(IReadOnlyList<Edge> edges)
    {
        var changed = false;
        foreach (var edge in edges)
        {
            if (!State.Edges.TryGetValue(edge.Key, out var old) || !EdgeComparer.Same(old, edge))
            {
                State.Edges[edge.Key] = edge;
                changed = true;
            }
        }
        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveEdgesAsync(IReadOnlyList<Edge> edges)
    {
        var changed = false;
        foreach (var edge in edges)
        {
            changed |= State.Edges.Remove(edge.Key);
        }
        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<NodeView?> GetViewAsync()
    {
        if (State.Versions.Count == 0 && State.Edges.Count == 0)
        {
            return Task.FromResult<NodeView?>(null);
        }
        var type = Stix.StixTypes.TypeOfId(StixId) ?? "";
        return Task.FromResult<NodeView?>(new NodeView(
            StixId, type, State.Versions.Count > 0 ? State.Versions[^1] : null, State.Revoked,
            State.Markings, State.Edges.Count, State.Versions.Count));
    }

    public Task<EdgePage> GetEdgesAsync(EdgeQuery query)
    {
        IEnumerable<Edge> edges = State.Edges.Values;
        if (!query.IncludeRevoked)
        {
            edges = edges.Where(e => !e.Revoked);
        }
        if (query.Direction is { } d)
        {
            edges = edges.Where(e => e.Direction == d);
        }
        if (query.Kinds is { Count: > 0 } kinds)
        {
            edges = edges.Where(e => kinds.Contains(e.Kind));
        }
        var matching = edges as ICollection<Edge> ?? [.. edges];
        return Task.FromResult(new EdgePage([.. matching.Skip(query.Skip).Take(query.Take)], matching.Count));
    }

    public Task<IReadOnlyList<string>> GetVersionsAsync() => Task.FromResult<IReadOnlyList<string>>([.. State.Versions]);

    /// <summary>Hook for typed grains to derive their own facts from a newly applied version.</summary>
    protected virtual void OnVersionApplied(StixObjectVersion version)
    {
    }

    bool IsNewer(StixObjectVersion version)
    {
        if (version.VersionStamp is { } stamp && State.VersionStamp is { } current)
        {
            return stamp > current;
        }
        // SCOs carry no timestamps: a different body is a new version, the same body is not.
        return version.VersionStamp is null && State.VersionStamp is null && version.Json != State.Versions[^1];
    }

    List<Edge> OwnEdges() => [.. State.OwnEdgeKeys.Select(k => State.Edges.GetValueOrDefault(k)).OfType<Edge>()];
}
