using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using ThreatGraph.Grains.Edges;
using ThreatGraph.Grains.Model;
using ThreatGraph.Grains.Security;
using ThreatGraph.Stix;

namespace ThreatGraph.Grains.Nodes;

/// <summary>
/// Shared behaviour of every node grain: STIX versioning, adjacency, and access checks on every read. Never calls another node grain; a supernode
/// calls its own edge shards (<see cref="EdgeSharding"/>), which call nobody.
/// Every write that meets an ETag conflict (<see cref="InconsistentStateException"/>: another activation or writer
/// got there first) re-reads the stored state and applies the same command again, instead of failing the caller.
/// </summary>
public abstract class NodeGrain(IPersistentState<NodeState> state) : Grain, INodeGrain
{
    /// <summary>Re-reads after an ETag conflict before giving up (and letting the runtime deactivate the grain).</summary>
    const int MaxConflictRetries = 3;

    AccessPolicy? _policy;

    protected NodeState State => state.State;
    protected string StixId => this.GetPrimaryKeyString();
    AccessPolicy Policy => _policy ??= ServiceProvider.GetRequiredService<AccessPolicy>();
    TimeProvider Clock => ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
    bool IsObservable => StixTypes.IsObservable(StixTypes.TypeOfId(StixId) ?? "");

    int EdgeTotal => State.Edges.Count + State.ShardCounts.Sum();

    public async Task<UpsertResult> UpsertAsync(StixObjectVersion version)
    {
        if (version.Id != StixId)
        {
            return new(UpsertOutcome.Rejected, [], [], $"object id {version.Id} sent to node {StixId}");
        }
        for (var attempt = 0; ; attempt++)
        {
            var (result, write) = ApplyVersion(version);
            if (!write || await TryWriteAsync(attempt))
            {
                return result;
            }
        }
    }

    (UpsertResult Result, bool Write) ApplyVersion(StixObjectVersion version)
    {
        var reporter = version.Access is { } a ? new CallerIdentity(a.OwnerOrg, a.OwnerMember, "", []) : CallerIdentity.System;
        var exists = State.Versions.Count > 0;
        if (exists && !IsObservable && !reporter.IsSystem && State.Access is { } owner)
        {
            // An object the reporter may not see gets one answer whatever the version: ids are random UUIDs, so only
            // someone who already knows the id learns that it is taken (README, "Who sees what").
            if (!Policy.CanSee(reporter, owner))
            {
                return (new(UpsertOutcome.Rejected, [], [], "this id belongs to an object you may not update"), false);
            }
            // Objects are versioned by the organisation that reported them; re-sending a known version is harmless.
            if (IsNewer(version) && owner.OwnerOrg != reporter.Org)
            {
                return (new(UpsertOutcome.Rejected, [], [], $"only {owner.OwnerOrg}, which reported this object, may send new versions of it"), false);
            }
        }

        // Observables are shared: each report of the value is a contributor; "created" means new to this reporter.
        var newToReporter = !exists || (IsObservable && !reporter.IsSystem && !Policy.CanSeeAny(reporter, AllAccess()));
        var contributorAdded = IsObservable && version.Access is { } access && AddContributor(access);
        if (exists && !IsNewer(version))
        {
            // Unchanged. Still hand back the current out-edges: mirroring them again is idempotent, and it heals
            // a previous ingest that stopped between writing this node and writing its peers.
            return (new(newToReporter ? UpsertOutcome.Created : UpsertOutcome.Unchanged, OwnEdges(), [], "same or older version",
                Stored: State.Versions.Contains(version.Json)), contributorAdded);
        }

        var previous = OwnEdges().ToDictionary(e => e.Key);
        State.FirstSeen ??= Clock.GetUtcNow();
        State.Versions.Add(version.Json);
        State.VersionStamp = version.VersionStamp;
        State.Revoked = version.Revoked;
        State.Markings = [.. version.Markings];
        if (!IsObservable && version.Access is not null)
        {
            State.Access = version.Access; // the owner may change the TLP or recipients in a new version
        }

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
        return (new(newToReporter ? UpsertOutcome.Created : UpsertOutcome.Updated, added, [.. previous.Values], Stored: true), true);
    }

    public async Task AddEdgesAsync(IReadOnlyList<Edge> edges)
    {
        for (var attempt = 0; ; attempt++)
        {
            var changed = false;
            var spill = new List<Edge>();
            foreach (var edge in edges)
            {
                if (State.Edges.TryGetValue(edge.Key, out var old))
                {
                    if (!EdgeComparer.Same(old, edge))
                    {
                        State.Edges[edge.Key] = edge;
                        changed = true;
                    }
                }
                else if (State.ShardCounts.Count == 0 && State.Edges.Count < EdgeSharding.InlineLimit)
                {
                    State.Edges[edge.Key] = edge;
                    changed = true;
                }
                else
                {
                    spill.Add(edge);
                }
            }
            if (spill.Count > 0)
            {
                changed |= await SpillAsync(spill);
            }
            if (!changed || await TryWriteAsync(attempt))
            {
                return;
            }
        }
    }

    public async Task RemoveEdgesAsync(IReadOnlyList<Edge> edges)
    {
        for (var attempt = 0; ; attempt++)
        {
            var changed = false;
            var elsewhere = new List<Edge>();
            foreach (var edge in edges)
            {
                if (State.Edges.Remove(edge.Key))
                {
                    changed = true;
                }
                else
                {
                    elsewhere.Add(edge);
                }
            }
            if (elsewhere.Count > 0 && State.ShardCounts.Count > 0)
            {
                var counts = await Task.WhenAll(Shards().Select(s => s.RemoveAsync(elsewhere)));
                changed |= SetShardCounts(counts);
            }
            if (!changed || await TryWriteAsync(attempt))
            {
                return;
            }
        }
    }

    public Task<NodeView?> GetViewAsync()
    {
        var caller = CallerContext.Current;
        if (!IsVisibleTo(caller))
        {
            return Task.FromResult<NodeView?>(null);
        }
        var type = StixTypes.TypeOfId(StixId) ?? "";
        // A point read never loads edge shards: callers other than the system get the count of the visible inline
        // edges (the first 1,000); exact visible counts come from the filtered edge reads.
        var edgeCount = caller.IsSystem ? EdgeTotal : State.Edges.Values.Count(EdgeVisibility.For(Policy, caller));
        return Task.FromResult<NodeView?>(new NodeView(
            StixId, type, State.Versions.Count > 0 ? State.Versions[^1] : null, State.Revoked,
            State.Markings, edgeCount, State.Versions.Count, AccessFor(caller), State.FirstSeen));
    }

    public Task<bool> IsVisibleAsync() => Task.FromResult(IsVisibleTo(CallerContext.Current));

    public async Task<EdgePage> GetEdgesAsync(EdgeQuery query)
    {
        var inline = EdgeFilter.Apply(State.Edges.Values.Where(EdgeVisibility.For(Policy, CallerContext.Current)), query);
        var items = new List<Edge>(inline.Skip(query.Skip).Take(query.Take));
        if (State.ShardCounts.Count == 0)
        {
            return new EdgePage(items, inline.Count);
        }

        // Inline edges first, then shard 0, 1, …: count the matches everywhere (in parallel), then fetch only the
        // shards that hold the requested window.
        var shards = Shards();
        var counts = await Task.WhenAll(shards.Select(s => s.QueryAsync(query with { Skip = 0, Take = 0 })));
        long offset = inline.Count;
        for (var i = 0; i < shards.Count; i++)
        {
            var count = counts[i].TotalCount;
            var localSkip = Math.Max(0L, query.Skip - offset);
            if (items.Count < query.Take && localSkip < count)
            {
                var page = await shards[i].QueryAsync(query with { Skip = (int)localSkip, Take = query.Take - items.Count });
                items.AddRange(page.Items);
            }
            offset += count;
        }
        return new EdgePage(items, (int)Math.Min(offset, int.MaxValue));
    }

    public Task<IReadOnlyList<string>> GetVersionsAsync() =>
        Task.FromResult<IReadOnlyList<string>>(IsVisibleTo(CallerContext.Current) ? [.. State.Versions] : []);

    public Task<NodeRecord?> GetRecordAsync()
    {
        var caller = CallerContext.Current;
        return Task.FromResult(State.Versions.Count > 0 && IsVisibleTo(caller)
            ? new NodeRecord([.. State.Versions], AccessFor(caller), State.FirstSeen)
            : null);
    }

    bool IsVisibleTo(CallerIdentity caller)
    {
        if (caller.IsSystem)
        {
            return State.Versions.Count > 0 || EdgeTotal > 0;
        }
        if (State.Versions.Count == 0)
        {
            // A placeholder holds nothing but its id: visible exactly when an edge to it is (its inline edges decide).
            return State.Edges.Values.Any(EdgeVisibility.For(Policy, caller));
        }
        return Policy.CanSeeAny(caller, AllAccess());
    }

    AccessDescriptor? AccessFor(CallerIdentity caller) => AllAccess().FirstOrDefault(a => Policy.CanSee(caller, a));

    IEnumerable<AccessDescriptor> AllAccess() =>
        IsObservable ? State.Contributors : State.Access is { } a ? [a] : [];

    bool AddContributor(AccessDescriptor access)
    {
        if (State.Contributors.Any(c => c.OwnerMember == access.OwnerMember && c.OwnerOrg == access.OwnerOrg
                                        && c.Tlp == access.Tlp && c.Recipients.SequenceEqual(access.Recipients)))
        {
            return false;
        }
        State.Contributors.Add(access);
        return true;
    }

    /// <summary>Hook for typed grains to derive their own facts from a newly applied version.</summary>
    protected virtual void OnVersionApplied(StixObjectVersion version)
    {
    }

    /// <summary>
    /// Edges past the inline limit: replaced where a shard already holds them, the rest appended to the last shard
    /// (and new shards as it fills). Shards persist before the node records their sizes; a crash in between is healed
    /// by re-sending (shard writes are idempotent and report their size).
    /// </summary>
    async Task<bool> SpillAsync(List<Edge> spill)
    {
        var changed = false;
        if (State.ShardCounts.Count > 0)
        {
            var replies = await Task.WhenAll(Shards().Select(s => s.UpdateExistingAsync(spill)));
            changed |= SetShardCounts([.. replies.Select(r => r.Count)]);
            var found = replies.SelectMany(r => r.FoundKeys).ToHashSet(StringComparer.Ordinal);
            spill = [.. spill.Where(e => !found.Contains(e.Key))];
        }
        var next = 0;
        while (next < spill.Count)
        {
            if (State.ShardCounts.Count == 0 || State.ShardCounts[^1] >= EdgeSharding.ShardCapacity)
            {
                State.ShardCounts.Add(0);
            }
            var last = State.ShardCounts.Count - 1;
            var room = EdgeSharding.ShardCapacity - State.ShardCounts[last];
            var chunk = spill.GetRange(next, Math.Min(room, spill.Count - next));
            State.ShardCounts[last] = await Shard(last).AppendAsync(chunk);
            next += chunk.Count;
            changed = true;
        }
        return changed;
    }

    bool SetShardCounts(IReadOnlyList<int> counts)
    {
        var changed = false;
        for (var i = 0; i < counts.Count; i++)
        {
            changed |= State.ShardCounts[i] != counts[i];
            State.ShardCounts[i] = counts[i];
        }
        return changed;
    }

    /// <summary>Writes the state; on an ETag conflict re-reads it and returns false so that the caller applies its command again.</summary>
    async Task<bool> TryWriteAsync(int attempt)
    {
        try
        {
            await state.WriteStateAsync();
            return true;
        }
        catch (InconsistentStateException) when (attempt < MaxConflictRetries)
        {
            await state.ReadStateAsync();
            return false;
        }
    }

    IEdgeShardGrain Shard(int i) => GrainFactory.GetGrain<IEdgeShardGrain>(EdgeSharding.ShardKey(StixId, i));

    List<IEdgeShardGrain> Shards() => [.. Enumerable.Range(0, State.ShardCounts.Count).Select(Shard)];

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
