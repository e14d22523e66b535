using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Grains.Edges;
using ThreatGraph.Contracts.Index;
using ThreatGraph.Grains.Lifecycle;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Grains.Severity;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Severity;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Lifecycle;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Severity;

namespace ThreatGraph.Grains.Nodes;

/// <summary>
/// Shared behaviour of every node grain: the object's reports (one contribution per reporting organisation), STIX
/// versioning within each report, adjacency, and access checks on every read: a read is composed of the reports and
/// versions the caller may see, and nothing else. Never calls another node grain; a supernode
/// calls its own edge shards (<see cref="EdgeSharding"/>), which call nobody.
/// Every write that meets an ETag conflict (<see cref="InconsistentStateException"/>: another activation or writer
/// got there first) re-reads the stored state and applies the same command again, instead of failing the caller.
/// </summary>
public abstract class NodeGrain(IPersistentState<NodeState> state) : Grain, INodeGrain
{
    /// <summary>Re-reads after an ETag conflict before giving up (and letting the runtime deactivate the grain).</summary>
    const int MaxConflictRetries = 3;

    AccessPolicy? _policy;
    SeverityModel? _severityModel;

    protected NodeState State => state.State;
    protected string StixId => this.GetPrimaryKeyString();
    AccessPolicy Policy => _policy ??= ServiceProvider.GetRequiredService<AccessPolicy>();
    TimeProvider Clock => ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
    bool IsIncident => StixTypes.TypeOfId(StixId) == "incident";
    bool IsIndicator => StixTypes.TypeOfId(StixId) == "indicator";
    LifecycleOptions LifecycleSettings => ServiceProvider.GetService<IOptions<LifecycleOptions>>()?.Value ?? new LifecycleOptions();
    /// <summary>The lifecycle's clock (tests put a fake one here, leaving Orleans' own timing alone).</summary>
    TimeProvider LifecycleTime => ServiceProvider.GetService<LifecycleClock>()?.Time ?? Clock;
    SeverityModel Severity => _severityModel ??= ServiceProvider.GetService<IOptions<SeverityOptions>>()?.Value.Model() ?? SeverityModel.Default;

    int EdgeTotal => InlineCount + State.ShardCounts.Sum();

    /// <summary>The inline edges, for reading. An activation keeps them in the packed form it loaded, and its first read
    /// unpacks them as it goes, so those edges are garbage as soon as the read is done: most activations serve one read
    /// (a traversal or a visibility check reaches a node cold, then it idles until collected), and an unpacked
    /// dictionary would be promoted by the collector with the activation, in a pause that cold reads wait on (issue 13).
    /// A second read, or a write (<see cref="MutableEdges"/>), unpacks them for good: a node read again (a supernode, a
    /// popular node) would otherwise allocate all its edges on every read.</summary>
    protected IEnumerable<Edge> InlineEdges
    {
        get
        {
            if (State.Packed is { } packed && ++_packedReads < UnpackOnRead)
            {
                return EdgePacking.Unpack(StixId, packed);
            }
            Unpack();
            return State.Edges.Values;
        }
    }

    /// <summary>The read of this activation that unpacks the edges for good (see <see cref="InlineEdges"/>).</summary>
    public const int UnpackOnRead = 2;

    int _packedReads;

    int InlineCount => State.Packed?.Edges.Count ?? State.Edges.Count;

    /// <summary>The inline edges, to change: unpacked into the keyed dictionary (once per activation).</summary>
    Dictionary<string, Edge> MutableEdges
    {
        get
        {
            Unpack();
            return State.Edges;
        }
    }

    public async Task<UpsertResult> UpsertAsync(StixObjectVersion version)
    {
        if (version.Id != StixId)
        {
            return new(UpsertOutcome.Rejected, [], [], $"object id {version.Id} sent to node {StixId}");
        }
        for (var attempt = 0; ; attempt++)
        {
            var before = Summary();
            var (result, write) = ApplyVersion(version);
            write |= result.Outcome != UpsertOutcome.Rejected && version.Endpoints is { } endpoints && SetEndpoints(endpoints);
            if (!write || await TryWriteAsync(attempt))
            {
                if (result.Outcome == UpsertOutcome.Rejected)
                {
                    return result;
                }
                var summary = Summary();
                var fanout = AccessSummary.Same(before, summary) ? null : await FanoutAsync();
                return result with { Summary = summary, Fanout = fanout, Index = CurrentIndexEntry() };
            }
        }
    }

    /// <summary>Every node that keeps who may see this one: the peers of its edges (inline and sharded) and the
    /// relationships that name it.</summary>
    async Task<IReadOnlyList<string>> FanoutAsync()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in InlineEdges)
        {
            ids.Add(e.PeerId);
            if (!e.EdgeId.StartsWith("ref:", StringComparison.Ordinal))
            {
                ids.Add(e.EdgeId); // the relationship or sighting behind the edge keeps its endpoints' access
            }
        }
        foreach (var peers in await Task.WhenAll(Shards().Select(s => s.PeerIdsAsync())))
        {
            ids.UnionWith(peers);
        }
        ids.Remove(StixId);
        return [.. ids];
    }

    bool SetEndpoints(IReadOnlyDictionary<string, IReadOnlyList<AccessDescriptor>> endpoints)
    {
        var changed = endpoints.Count != State.Endpoints.Count;
        foreach (var (id, summary) in endpoints)
        {
            changed |= !State.Endpoints.TryGetValue(id, out var old) || !AccessSummary.Same(old, summary);
        }
        if (changed)
        {
            State.Endpoints = new Dictionary<string, IReadOnlyList<AccessDescriptor>>(endpoints, StringComparer.Ordinal);
            State.Revision++;
        }
        return changed;
    }

    /// <summary>Who may see this node: the current access of each of its reports (see <see cref="AccessSummary"/>).</summary>
    IReadOnlyList<AccessDescriptor> Summary()
    {
        var list = new List<AccessDescriptor>(State.Contributions.Count);
        foreach (var c in State.Contributions)
        {
            if (!list.Any(x => AccessSummary.SameAccess(x, c.Current.Access)))
            {
                list.Add(c.Current.Access);
            }
        }
        return list;
    }

    public Task<IReadOnlyList<AccessDescriptor>> GetAccessSummaryAsync() => Task.FromResult(Summary());

    public Task<NodeCorrelation> GetCorrelationAsync() => Task.FromResult(new NodeCorrelation(State.ClusterId, Exclusion()));

    public async Task<string?> SetClusterAsync(string? expected, string? clusterId)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (State.ClusterId != expected || State.ClusterId == clusterId || await TryWriteAsync(attempt, () => State.ClusterId = clusterId))
            {
                return State.ClusterId;
            }
        }
    }

    public async Task PointAtAsync(string clusterId)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (State.ClusterId == clusterId || await TryWriteAsync(attempt, () => State.ClusterId = clusterId))
            {
                return;
            }
        }
    }

    public async Task SetWarninglistAsync(string? reason)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (State.Warninglist == reason || await TryWriteAsync(attempt, () => State.Warninglist = reason))
            {
                return;
            }
        }
    }

    /// <summary>Why this node does not link: a warninglist entry, revocation, an inactive indicator, or
    /// <see cref="OverLinkingCap"/>.</summary>
    string? Exclusion()
    {
        if (State.Warninglist is { } listed)
        {
            return listed;
        }
        if (State.Contributions.Count > 0 && State.Contributions.All(c => c.Current.Revoked))
        {
            return "revoked"; // a revoked object links nothing, whoever declared the links to it
        }
        if (IndicatorLifecycleNow() is { Inactive: { } inactive })
        {
            return inactive; // an expired or decayed indicator stops linking until it is revived
        }
        return OverLinkingCap();
    }

    /// <summary>Why a node this connected stops linking, or null; only observables have a cap (<see cref="ObservableGrain"/>).</summary>
    protected virtual string? OverLinkingCap() => null;

    /// <summary>Whether each reporting organisation keeps a report of its own (observables: shared facts), instead of
    /// the object belonging to the organisation that first reported it.</summary>
    protected virtual bool ReportPerOrganisation => false;

    public async Task<IndexEntry?> PeerAccessChangedAsync(IReadOnlyDictionary<string, IReadOnlyList<AccessDescriptor>> peers)
    {
        for (var attempt = 0; ; attempt++)
        {
            var changed = false;
            var edges = InlineEdges.Any(e => peers.TryGetValue(e.PeerId, out var s) && !AccessSummary.Same(e.PeerAccess, s)) ? MutableEdges : [];
            foreach (var (key, edge) in edges.ToList())
            {
                if (peers.TryGetValue(edge.PeerId, out var summary) && !AccessSummary.Same(edge.PeerAccess, summary))
                {
                    edges[key] = edge with { PeerAccess = summary };
                    changed = true;
                }
            }
            var endpointsChanged = false;
            foreach (var (id, summary) in peers)
            {
                if (State.Endpoints.TryGetValue(id, out var old) && !AccessSummary.Same(old, summary))
                {
                    State.Endpoints[id] = summary;
                    endpointsChanged = true;
                    State.Revision++;
                }
            }
            if (State.ShardCounts.Count > 0)
            {
                await Task.WhenAll(Shards().Select(s => s.UpdatePeerAccessAsync(peers)));
            }
            if (!(changed || endpointsChanged) || await TryWriteAsync(attempt))
            {
                return endpointsChanged && State.Contributions.Count > 0 ? CurrentIndexEntry() : null;
            }
        }
    }

    /// <summary>
    /// Applies a version to its reporter's contribution. An observable gets one contribution per reporting
    /// organisation; any other object belongs to the organisation that first reported it, and nobody else versions it.
    /// </summary>
    (UpsertResult Result, bool Write) ApplyVersion(StixObjectVersion version)
    {
        var access = version.Access ?? AccessDescriptor.SystemOnly;
        var reporter = version.Access is null ? CallerIdentity.System : new CallerIdentity(access.OwnerOrg, access.OwnerMember, "", []);
        var own = State.Contributions.Find(c => c.Org == access.OwnerOrg);
        if (own is null && !ReportPerOrganisation && State.Contributions.Count > 0)
        {
            var owner = State.Contributions[0];
            if (reporter.IsSystem)
            {
                own = owner; // internal writers (federation, enrichment as the system) version the owner's report
            }
            else if (!Policy.CanSee(reporter, owner.Current.Access))
            {
                // One answer whatever the version: ids are random UUIDs, so only someone who already knows the id learns
                // that it is taken (README, "Who sees what").
                return (new(UpsertOutcome.Rejected, [], [], "this id belongs to an object you may not update"), false);
            }
            else if (IsNewer(owner, version))
            {
                return (new(UpsertOutcome.Rejected, [], [], $"only {owner.Org}, which reported this object, may send new versions of it"), false);
            }
            else
            {
                // A visible object re-sent by another organisation (bundles often carry what they refer to): nothing
                // of it is taken, and what the node holds is re-indexed and re-mirrored as it is.
                return (new(UpsertOutcome.Unchanged, OwnEdges(owner), [], "same or older version",
                    Stored: owner.Versions.Any(v => v.HasJson(Utf8(version))), Index: CurrentIndexEntry()), false);
            }
        }

        if (own is not null && !IsNewer(own, version))
        {
            // Unchanged. Still hand back the current out-edges: mirroring them again is idempotent, and it heals
            // a previous ingest that stopped between writing this node and writing its peers.
            return (new(UpsertOutcome.Unchanged, OwnEdges(own), [], "same or older version",
                Stored: own.Versions.Any(v => v.HasJson(Utf8(version))), Index: CurrentIndexEntry()), false);
        }

        var now = Clock.GetUtcNow();
        NoteInactive(); // a new version revives: links go again if it had stopped counting
        var created = own is null;
        if (own is null)
        {
            own = new Contribution { Org = access.OwnerOrg, FirstSeen = now };
            State.Contributions.Add(own);
        }
        var previous = OwnEdges(own).ToDictionary(e => e.Key);
        State.FirstSeen ??= now;
        own.Versions.Add(new StoredVersion(Utf8(version), version.VersionStamp, version.Revoked, [.. version.Markings], access, version.Name, version.Original));

        var added = new List<Edge>();
        var edges = MutableEdges;
        foreach (var edge in version.OutEdges)
        {
            if (!previous.Remove(edge.Key, out var old) || !EdgeComparer.Same(old, edge))
            {
                added.Add(edge);
            }
            edges[edge.Key] = edge;
        }
        foreach (var gone in previous.Values)
        {
            edges.Remove(gone.Key);
        }
        State.Revision++;
        if (IsIndicator)
        {
            State.Revived = LifecycleTime.GetUtcNow();
            NoteInactive(); // arrived already expired: it never linked, so a later revival must send its links
        }
        return (new(created ? UpsertOutcome.Created : UpsertOutcome.Updated, added, [.. previous.Values], Stored: true, Index: CurrentIndexEntry()), true);
    }

    public async Task<IReadOnlyList<AccessDescriptor>> AddEdgesAsync(IReadOnlyList<Edge> edges)
    {
        for (var attempt = 0; ; attempt++)
        {
            var changed = false;
            var spill = new List<Edge>();
            var inline = MutableEdges;
            foreach (var edge in edges)
            {
                if (inline.TryGetValue(edge.Key, out var old))
                {
                    if (!EdgeComparer.Same(old, edge))
                    {
                        inline[edge.Key] = edge;
                        changed = true;
                    }
                }
                else if (State.ShardCounts.Count == 0 && inline.Count < EdgeSharding.InlineLimit)
                {
                    inline[edge.Key] = edge;
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
                return Summary();
            }
        }
    }

    public async Task RemoveEdgesAsync(IReadOnlyList<Edge> edges)
    {
        for (var attempt = 0; ; attempt++)
        {
            var changed = false;
            var elsewhere = new List<Edge>();
            var inline = MutableEdges;
            foreach (var edge in edges)
            {
                if (inline.Remove(edge.Key))
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
                SetShardCounts(counts); // the shards wrote themselves; the node keeps only how many there are
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
        var edgeCount = caller.IsSystem ? EdgeTotal : InlineEdges.Count(EdgeVisibility.For(Policy, caller));
        var visible = VisibleContributions(caller).ToList();
        var served = Served(visible, caller);
        return Task.FromResult<NodeView?>(new NodeView(
            StixId, type, served?.Current.Json, visible.Count > 0 && visible.All(c => c.Current.Revoked),
            served?.Current.Markings ?? [], edgeCount, visible.Sum(c => VisibleVersions(c, caller).Count()),
            served?.Current.Access, State.FirstSeen, [.. visible.Select(c => c.Org)], served?.Current.Original,
            IsIncident && served is not null ? IncidentSeverities.Of(served.Current.Json, State.SeverityOverrides, Severity, caller) : null,
            IsIndicator && served is not null ? IndicatorLifecycleNow() : null));
    }

    /// <summary>The indicator's lifecycle now (of its owner's current version); null for other nodes and placeholders.</summary>
    IndicatorLifecycle? IndicatorLifecycleNow()
    {
        if (!IsIndicator || State.Contributions.Count == 0
            || System.Text.Json.Nodes.JsonNode.Parse(State.Contributions[0].Current.Json) is not System.Text.Json.Nodes.JsonObject json)
        {
            return null;
        }
        var now = LifecycleTime.GetUtcNow();
        return IndicatorDecay.Evaluate(json, State.Revived ?? State.FirstSeen ?? now, now, LifecycleSettings);
    }

    /// <summary>Remembers that the indicator stopped counting (so a revival re-sends its links); true when that is news.</summary>
    bool NoteInactive()
    {
        if (State.Unlinked || IndicatorLifecycleNow() is not { Active: false })
        {
            return false;
        }
        State.Unlinked = true;
        return true;
    }

    /// <summary>At its due time (the schedule's reminder): whether the indicator stopped counting, so correlation unlinks it.</summary>
    protected async Task<LifecycleStep> CheckLifecycleAsync()
    {
        for (var attempt = 0; NoteInactive() && !await TryWriteAsync(attempt); attempt++)
        {
        }
        var lifecycle = IndicatorLifecycleNow();
        return new LifecycleStep(lifecycle is { Active: false }, [], lifecycle?.Due);
    }

    /// <summary>A new version (already applied; no sightings) or new sightings revive the indicator: its age starts
    /// again. A sighting revives only when its reporter may see the indicator and it reveals nothing to the indicator's
    /// readers (<see cref="SightingRevival"/>). When it had stopped counting and counts again, its linking edges are handed
    /// back to correlation (<see cref="LifecycleStep.Relink"/>).</summary>
    protected async Task<LifecycleStep> ReviveLifecycleAsync(IReadOnlyList<AccessDescriptor> sightings)
    {
        if (IndicatorLifecycleNow() is null)
        {
            return new LifecycleStep(false, [], null);
        }
        var indicator = State.Contributions[0].Current.Access;
        var bySighting = sightings.Any(s => SightingRevival.Allowed(s, indicator) && IsVisibleTo(new CallerIdentity(s.OwnerOrg, s.OwnerMember, "", [])));
        if (sightings.Count > 0 && !bySighting)
        {
            return new LifecycleStep(false, [], IndicatorLifecycleNow()!.Due);
        }
        List<ThreatGraph.Contracts.Correlation.LinkChange> relink = [];
        for (var attempt = 0; ; attempt++)
        {
            var changed = NoteInactive() | bySighting;
            if (bySighting)
            {
                State.Revived = LifecycleTime.GetUtcNow();
            }
            var lifecycle = IndicatorLifecycleNow()!;
            var relinking = State.Unlinked && lifecycle.Active;
            if (relinking)
            {
                State.Unlinked = false;
            }
            if (!(changed || relinking) || await TryWriteAsync(attempt))
            {
                relink = relinking ? await LinkingEdgesAsync() : [];
                return new LifecycleStep(false, relink, lifecycle.Due);
            }
        }
    }

    /// <summary>This node's live linking edges (inline and sharded), as correlation adds them.</summary>
    async Task<List<ThreatGraph.Contracts.Correlation.LinkChange>> LinkingEdgesAsync()
    {
        var policy = ServiceProvider.GetService<CorrelationPolicy>();
        var edges = InlineEdges.ToList();
        foreach (var page in await Task.WhenAll(Shards().Select(s => s.QueryAsync(EdgeQuery.All))))
        {
            edges.AddRange(page.Items);
        }
        return [.. edges.Where(e => !e.Revoked).Select(e => e.Direction == EdgeDirection.Out
                ? new ThreatGraph.Contracts.Correlation.LinkChange(e.EdgeId, e.Kind, StixId, e.PeerId, true, e.Access)
                : new ThreatGraph.Contracts.Correlation.LinkChange(e.EdgeId, e.Kind, e.PeerId, StixId, true, e.Access))
            .Where(l => policy is null || policy.IsLinking(l.Kind, l.SourceId, l.TargetId))];
    }

    /// <summary>Longest reason an analyst may give for a severity override.</summary>
    public const int MaxOverrideReasonLength = 1000;

    /// <summary>An analyst of the incident's reporting organisation sets (or, with a null level, clears) its severity,
    /// with a reason. Anyone else gets NOT_FOUND (cannot see it) or FORBIDDEN (another organisation's incident); bad
    /// input changes nothing.</summary>
    protected async Task<SeverityOverrideResult> OverrideSeverityAsync(int? level, string reason)
    {
        var caller = CallerContext.Current;
        if (!IsIncident || State.Contributions.Count == 0 || !IsVisibleTo(caller))
        {
            return new(null, $"no incident {StixId}", "NOT_FOUND", false);
        }
        var owner = State.Contributions[0];
        if (!caller.IsSystem && caller.Org != owner.Org)
        {
            return new(null, $"only {owner.Org}, which reported this incident, may set its severity", "FORBIDDEN", false);
        }
        if (level is { } l && !NcissLevels.IsLevel(l))
        {
            return new(null, $"level must be from 0 (BASELINE) to 5 (EMERGENCY), not {l}", "BAD_ARGUMENT", false);
        }
        reason = (reason ?? "").Trim();
        if (reason.Length == 0 || reason.Length > MaxOverrideReasonLength)
        {
            return new(null, $"a reason of 1 to {MaxOverrideReasonLength} characters is required", "BAD_ARGUMENT", false);
        }
        var before = IncidentSeverities.Of(owner.Current.Json, State.SeverityOverrides, Severity, caller).Level;
        if (level is null && IncidentSeverities.InForce(State.SeverityOverrides) is null)
        {
            return new(IncidentSeverities.Of(owner.Current.Json, State.SeverityOverrides, Severity, caller), null, null, false);
        }
        var entry = new SeverityOverride(level ?? IncidentSeverities.Cleared, reason, caller.Org, caller.Member, Clock.GetUtcNow());
        for (var attempt = 0; !await TryWriteAsync(attempt, () => State.SeverityOverrides.Add(entry)); attempt++)
        {
        }
        var now = IncidentSeverities.Of(owner.Current.Json, State.SeverityOverrides, Severity, caller);
        return new(now, null, null, now.Level != before);
    }

    public Task<bool> IsVisibleAsync() => Task.FromResult(IsVisibleTo(CallerContext.Current));

    public async Task<EdgePage> GetEdgesAsync(EdgeQuery query)
    {
        var inline = EdgeFilter.Page(InlineEdges, query, EdgeVisibility.For(Policy, CallerContext.Current));
        if (State.ShardCounts.Count == 0 || (!query.ExactCount && inline.TotalCount > query.Skip + (long)query.Take))
        {
            return inline; // no shards, or the inline edges alone already say "more than the window"
        }
        return query.Skip == 0 ? await FirstWindowAcrossShardsAsync(inline, query) : await WindowAcrossShardsAsync(inline, query);
    }

    /// <summary>
    /// Inline edges first, then shard 0, 1, …, in one round: the shards that can hold the first window (by their
    /// stored counts, as if every edge matched) are asked for their page, the others only for their count. Only when
    /// hidden or filtered edges leave room the stored counts did not predict is a later shard asked again.
    /// </summary>
    async Task<EdgePage> FirstWindowAcrossShardsAsync(EdgePage inline, EdgeQuery query)
    {
        var shards = Shards();
        var replies = new Task<EdgePage>[shards.Count];
        long before = inline.TotalCount;
        for (var i = 0; i < shards.Count; i++)
        {
            replies[i] = shards[i].QueryAsync(query with { Take = before < query.Take ? query.Take : 0 });
            before += State.ShardCounts[i];
        }
        var pages = await Task.WhenAll(replies);
        var items = new List<Edge>(Math.Min(query.Take, inline.Items.Count + pages.Sum(p => p.Items.Count)));
        items.AddRange(inline.Items);
        var kept = inline.PeerAccessKept;
        long total = inline.TotalCount;
        for (var i = 0; i < pages.Length; i++)
        {
            var page = pages[i];
            var room = query.Take - items.Count;
            if (room > 0 && page.TotalCount > 0 && page.Items.Count == 0)
            {
                page = await shards[i].QueryAsync(query with { Take = room }); // its count alone was asked for
            }
            kept &= page.PeerAccessKept;
            total += page.TotalCount;
            if (room > 0)
            {
                items.AddRange(page.Items.Take(room));
            }
        }
        return new EdgePage(items, (int)Math.Min(total, int.MaxValue), kept);
    }

    /// <summary>A later window: count the matches of every shard (in parallel), then fetch only the shards that hold it.</summary>
    async Task<EdgePage> WindowAcrossShardsAsync(EdgePage inline, EdgeQuery query)
    {
        var shards = Shards();
        var items = new List<Edge>(inline.Items);
        var counts = await Task.WhenAll(shards.Select(s => s.QueryAsync(query with { Skip = 0, Take = 0 })));
        var kept = inline.PeerAccessKept && counts.All(c => c.PeerAccessKept);
        long offset = inline.TotalCount;
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
        return new EdgePage(items, (int)Math.Min(offset, int.MaxValue), kept);
    }

    public Task<IReadOnlyList<string>> GetVersionsAsync()
    {
        var caller = CallerContext.Current;
        return !IsVisibleTo(caller) ? Task.FromResult<IReadOnlyList<string>>([]) : Task.FromResult<IReadOnlyList<string>>(
            [.. VisibleContributions(caller).SelectMany(c => VisibleVersions(c, caller)).Select(v => v.Json)]);
    }

    public Task<NodeRecord?> GetRecordAsync()
    {
        var caller = CallerContext.Current;
        if (!IsVisibleTo(caller))
        {
            return Task.FromResult<NodeRecord?>(null);
        }
        var versions = VisibleContributions(caller)
            .SelectMany(c => VisibleVersions(c, caller))
            .Select(v => new RecordedVersion(v.Json, v.Access)).ToList();
        return Task.FromResult(versions.Count > 0 ? new NodeRecord(versions, State.FirstSeen) : null);
    }

    bool IsVisibleTo(CallerIdentity caller)
    {
        if (caller.IsSystem)
        {
            return State.Contributions.Count > 0 || EdgeTotal > 0;
        }
        if (State.Contributions.Count == 0)
        {
            // A placeholder holds nothing but its id: visible exactly when an edge to it is (its inline edges decide).
            return InlineEdges.Any(EdgeVisibility.For(Policy, caller));
        }
        // A relationship or sighting names its endpoints: it is shown only to readers who may see them.
        return VisibleContributions(caller).Any() && State.Endpoints.Values.All(e => AccessSummary.Admits(Policy, caller, e));
    }

    /// <summary>Reports whose current version the caller may see: everything a read shows is composed of these.</summary>
    IEnumerable<Contribution> VisibleContributions(CallerIdentity caller) =>
        State.Contributions.Where(c => caller.IsSystem || Policy.CanSee(caller, c.Current.Access));

    /// <summary>Of a visible report, the versions whose own markings allow the caller (an older, stricter version stays hidden).</summary>
    IEnumerable<StoredVersion> VisibleVersions(Contribution c, CallerIdentity caller) =>
        c.Versions.Where(v => caller.IsSystem || Policy.CanSee(caller, v.Access));

    /// <summary>The report a read shows: a live one before a revoked one, the caller's own organisation's first, then the earliest.</summary>
    static Contribution? Served(List<Contribution> visible, CallerIdentity caller) =>
        visible.OrderBy(c => c.Current.Revoked).ThenBy(c => c.Org == caller.Org ? 0 : 1).ThenBy(c => c.FirstSeen).FirstOrDefault();

    /// <summary>This node's search-index entry: per report, its name, revocation, access and exact-match keys (external
    /// ids, aliases: <see cref="Indexing.IndexKeys"/>) of its current version, so a hidden report's keys stay hidden.</summary>
    IndexEntry CurrentIndexEntry() =>
        new(StixId, State.Revision, [.. State.Contributions.Select(c => new IndexedReport(c.Current.Name, c.Current.Revoked, c.Current.Access,
                Indexing.IndexKeys.Of(c.Current.Json)))],
            State.Endpoints.Count > 0 ? [.. State.Endpoints.Values] : null);

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
            SetShardCounts([.. replies.Select(r => r.Count)]);
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
        }
        // The node itself is rewritten only when a shard is added (sizes are the shards' own business).
        changed |= State.ShardCount != State.ShardCounts.Count;
        State.ShardCount = State.ShardCounts.Count;
        return changed;
    }

    void SetShardCounts(IReadOnlyList<int> counts)
    {
        for (var i = 0; i < counts.Count; i++)
        {
            State.ShardCounts[i] = counts[i];
        }
    }

    /// <summary>Applies <paramref name="change"/> and writes; on an ETag conflict re-reads and returns false (the caller
    /// checks again and retries).</summary>
    async Task<bool> TryWriteAsync(int attempt, Action change)
    {
        change();
        return await TryWriteAsync(attempt);
    }

    /// <summary>Writes the state (unpacked edges packed for the write only; edges still packed are written as they
    /// are); on an ETag conflict re-reads it and returns false so that the caller applies its command again.</summary>
    async Task<bool> TryWriteAsync(int attempt)
    {
        var unpacked = State.Packed is null;
        if (unpacked)
        {
            State.Packed = EdgePacking.Pack(StixId, State.Edges.Values);
        }
        try
        {
            await state.WriteStateAsync();
            if (unpacked)
            {
                State.Packed = null;
            }
            return true;
        }
        catch (InconsistentStateException) when (attempt < MaxConflictRetries)
        {
            await state.ReadStateAsync(); // edges packed again: the next change unpacks them
            State.ShardCounts = [.. await Task.WhenAll(Enumerable.Range(0, State.ShardCount).Select(i => Shard(i).CountAsync()))];
            return false;
        }
    }

    IEdgeShardGrain Shard(int i) => GrainFactory.Reference<IEdgeShardGrain>(EdgeSharding.ShardKey(StixId, i));

    List<IEdgeShardGrain> Shards() => [.. Enumerable.Range(0, State.ShardCounts.Count).Select(Shard)];

    static byte[] Utf8(StixObjectVersion version) => System.Text.Encoding.UTF8.GetBytes(version.Json);

    static bool IsNewer(Contribution c, StixObjectVersion version)
    {
        if (version.VersionStamp is { } stamp && c.Current.Stamp is { } current)
        {
            return stamp > current;
        }
        // SCOs carry no timestamps: a different body is a new version, the same body is not.
        return version.VersionStamp is null && c.Current.Stamp is null && !c.Current.HasJson(Utf8(version));
    }

    /// <summary>The out-going embedded refs a report declares: refs from this node, and for an observable (one report per
    /// organisation) those of that report's organisation (<see cref="Edge.RefEdgeId"/> names it).</summary>
    List<Edge> OwnEdges(Contribution c)
    {
        var prefix = "ref:" + StixId + "|";
        var suffix = ReportPerOrganisation ? "|" + c.Org : null;
        return [.. InlineEdges.Where(e => e.Direction == EdgeDirection.Out && e.EdgeId.StartsWith(prefix, StringComparison.Ordinal)
                                                  && (suffix is null || e.EdgeId.EndsWith(suffix, StringComparison.Ordinal)))];
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.ShardCount > 0)
        {
            State.ShardCounts = [.. await Task.WhenAll(Enumerable.Range(0, State.ShardCount).Select(i => Shard(i).CountAsync()))];
        }
    }

    /// <summary>The packed edges into the keyed dictionary, once: from then on the dictionary is what the node holds
    /// (and <see cref="TryWriteAsync(int)"/> packs it for each write).</summary>
    void Unpack()
    {
        if (State.Packed is { } packed)
        {
            State.Edges = [];
            foreach (var e in EdgePacking.Unpack(StixId, packed))
            {
                State.Edges[e.Key] = e;
            }
            State.Packed = null;
        }
    }
}
