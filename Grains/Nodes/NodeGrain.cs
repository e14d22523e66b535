using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Grains.Model;
using ThreatGraph.Grains.Security;
using ThreatGraph.Stix;

namespace ThreatGraph.Grains.Nodes;

/// <summary>
/// Shared behaviour of every node grain: STIX versioning, adjacency, and access checks on every read.
/// Never calls another grain.
/// </summary>
public abstract class NodeGrain(IPersistentState<NodeState> state) : Grain, INodeGrain
{
    AccessPolicy? _policy;

    protected NodeState State => state.State;
    protected string StixId => this.GetPrimaryKeyString();
    AccessPolicy Policy => _policy ??= ServiceProvider.GetRequiredService<AccessPolicy>();
    bool IsObservable => StixTypes.IsObservable(StixTypes.TypeOfId(StixId) ?? "");

    public async Task<UpsertResult> UpsertAsync(StixObjectVersion version)
    {
        if (version.Id != StixId)
        {
            return new(UpsertOutcome.Rejected, [], [], $"object id {version.Id} sent to node {StixId}");
        }
        var reporter = version.Access is { } a ? new CallerIdentity(a.OwnerOrg, a.OwnerMember, "", []) : CallerIdentity.System;
        var exists = State.Versions.Count > 0;

        if (exists && !IsObservable && !reporter.IsSystem && State.Access is { } owner)
        {
            // An object the reporter may not see gets one answer whatever the version: ids are random UUIDs, so only
            // someone who already knows the id learns that it is taken (README, "Who sees what").
            if (!Policy.CanSee(reporter, owner))
            {
                return new(UpsertOutcome.Rejected, [], [], "this id belongs to an object you may not update");
            }
            // Objects are versioned by the organisation that reported them; re-sending a known version is harmless.
            if (IsNewer(version) && owner.OwnerOrg != reporter.Org)
            {
                return new(UpsertOutcome.Rejected, [], [], $"only {owner.OwnerOrg}, which reported this object, may send new versions of it");
            }
        }

        // Observables are shared: each report of the value is a contributor; "created" means new to this reporter.
        var newToReporter = !exists || (IsObservable && !reporter.IsSystem && !Policy.CanSeeAny(reporter, AllAccess()));
        var contributorAdded = IsObservable && version.Access is { } access && AddContributor(access);

        if (exists && !IsNewer(version))
        {
            if (contributorAdded)
            {
                await state.WriteStateAsync();
            }
            // Unchanged. Still hand back the current out-edges: mirroring them again is idempotent, and it heals
            // a previous ingest that stopped between writing this node and writing its peers.
            return new(newToReporter ? UpsertOutcome.Created : UpsertOutcome.Unchanged, OwnEdges(), [], "same or older version");
        }

        var previous = OwnEdges().ToDictionary(e => e.Key);
        State.Versions.Add(version.Json);
        State.VersionStamp = version.VersionStamp;
        State.Revoked = version.Revoked;
        State.Markings = [.. version.Markings];
        State.Access ??= version.Access;
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
        await state.WriteStateAsync();
        return new(newToReporter ? UpsertOutcome.Created : UpsertOutcome.Updated, added, [.. previous.Values]);
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
        var caller = CallerContext.Current;
        if (!IsVisibleTo(caller))
        {
            return Task.FromResult<NodeView?>(null);
        }
        var type = StixTypes.TypeOfId(StixId) ?? "";
        return Task.FromResult<NodeView?>(new NodeView(
            StixId, type, State.Versions.Count > 0 ? State.Versions[^1] : null, State.Revoked,
            State.Markings, State.Edges.Values.Count(e => CanSee(caller, e)), State.Versions.Count, AccessFor(caller)));
    }

    public Task<bool> IsVisibleAsync() => Task.FromResult(IsVisibleTo(CallerContext.Current));

    public Task<EdgePage> GetEdgesAsync(EdgeQuery query)
    {
        var caller = CallerContext.Current;
        IEnumerable<Edge> edges = State.Edges.Values.Where(e => CanSee(caller, e));
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
        var matching = edges.ToList();
        return Task.FromResult(new EdgePage([.. matching.Skip(query.Skip).Take(query.Take)], matching.Count));
    }

    public Task<IReadOnlyList<string>> GetVersionsAsync() =>
        Task.FromResult<IReadOnlyList<string>>(IsVisibleTo(CallerContext.Current) ? [.. State.Versions] : []);

    /// <summary>Hook for typed grains to derive their own facts from a newly applied version.</summary>
    protected virtual void OnVersionApplied(StixObjectVersion version)
    {
    }

    bool IsVisibleTo(CallerIdentity caller)
    {
        if (caller.IsSystem)
        {
            return State.Versions.Count > 0 || State.Edges.Count > 0;
        }
        if (State.Versions.Count == 0)
        {
            // A placeholder holds nothing but its id: visible exactly when an edge to it is.
            return State.Edges.Values.Any(e => CanSee(caller, e));
        }
        return Policy.CanSeeAny(caller, AllAccess());
    }

    AccessDescriptor? AccessFor(CallerIdentity caller) => AllAccess().FirstOrDefault(a => Policy.CanSee(caller, a));

    IEnumerable<AccessDescriptor> AllAccess() =>
        IsObservable ? State.Contributors : State.Access is { } a ? [a] : [];

    bool CanSee(CallerIdentity caller, Edge edge) =>
        edge.Access is { } a ? Policy.CanSee(caller, a) : caller.IsSystem;

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
