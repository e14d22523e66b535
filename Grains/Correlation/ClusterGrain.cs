using Microsoft.Extensions.Logging;
using Orleans.Streams;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Correlation;

/// <summary>The links of a cluster as last written whole (see <see cref="ClusterState.Journal"/> for what changed since).</summary>
[GenerateSerializer, Alias("tg.ClusterLinksState")]
public sealed class ClusterLinksState
{
    [Id(0)] public Dictionary<string, ClusterLink> Links { get; set; } = [];
    [Id(1)] public int Generation { get; set; }
}

/// <summary>A change of one link: added or replaced (Link), or gone (null).</summary>
[GenerateSerializer, Immutable, Alias("tg.LinkDelta")]
public sealed record LinkDelta([property: Id(0)] string Key, [property: Id(1)] ClusterLink? Link);

/// <summary>Persisted state of a cluster grain, written with every command: the small facts and the journal of link
/// changes since the links were last written whole (so a command costs its own changes, not the cluster's size).</summary>
[GenerateSerializer, Alias("tg.ClusterState.v2")]
public sealed class ClusterState
{
    /// <summary>Link changes since <see cref="ClusterLinksState"/> of the same <see cref="Generation"/>.</summary>
    [Id(0)] public List<LinkDelta> Journal { get; set; } = [];
    [Id(8)] public int Generation { get; set; }
    /// <summary>Set once, when the cluster is merged into another: every command is answered with it from then on.</summary>
    [Id(1)] public string? ForwardedTo { get; set; }
    /// <summary>The cluster that absorbed this one confirmed it: the links are no longer kept.</summary>
    [Id(2)] public bool Released { get; set; }
    /// <summary>No longer written (was an incident-count severity; severity is now rolled up per reader).</summary>
    [Id(4)] public string Severity { get; set; } = "";
    /// <summary>Sealed clusters (and split parts) already taken in: absorbing again changes nothing.</summary>
    [Id(5)] public List<string> Absorbed { get; set; } = [];
    /// <summary>Parts cut off but not yet confirmed written as clusters of their own (re-sent after a crash).</summary>
    [Id(6)] public Dictionary<string, Dictionary<string, ClusterLink>> PendingParts { get; set; } = [];
    /// <summary>Links removed while not here (forwarded here before the cluster that held them was absorbed): an absorb
    /// that still carries them leaves them out. Kept <see cref="ClusterGrain.TombstoneTime"/>.</summary>
    [Id(7)] public Dictionary<string, DateTimeOffset> Tombstones { get; set; } = [];
}

/// <summary>
/// One cluster: single writer of its links (<see cref="IClusterGrain"/>). Its links live in a <see cref="ClusterGraph"/>;
/// each command is applied, written, then published as campaign updates on the <see cref="StorageNames.Streams"/>
/// provider. A split writes the cut-off parts as clusters of their own and points their members at them (recorded
/// first as pending, so a crash re-sends them).
/// </summary>
public sealed class ClusterGrain(
    [PersistentState("cluster", StorageNames.Graph)] IPersistentState<ClusterState> state,
    [PersistentState("clusterlinks", StorageNames.Graph)] IPersistentState<ClusterLinksState> snapshot,
    ILogger<ClusterGrain> logger,
    TimeProvider time,
    WatchedStreams watched) : Grain, IClusterGrain
{
    static readonly TimeSpan ReservationTime = TimeSpan.FromSeconds(10);
    ClusterGraph _graph = new();
    (string Token, DateTimeOffset Until)? _reservation;

    bool ReservedByOther(string? token) =>
        _reservation is { } r && r.Until > time.GetUtcNow() && r.Token != token;

    public Task<bool> ReserveAsync(string token, IReadOnlyList<string> members)
    {
        if (state.State.ForwardedTo is not null || ReservedByOther(token) || !members.All(_graph.Contains))
        {
            return Task.FromResult(false);
        }
        _reservation = (token, time.GetUtcNow() + ReservationTime);
        return Task.FromResult(true);
    }

    public Task UnreserveAsync(string token)
    {
        if (_reservation?.Token == token)
        {
            _reservation = null;
        }
        return Task.CompletedTask;
    }

    string Id => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var (key, link) in snapshot.State.Links)
        {
            _graph.Add(key, link);
        }
        if (snapshot.State.Generation == state.State.Generation)
        {
            foreach (var (key, link) in state.State.Journal)
            {
                if (link is null)
                {
                    _graph.Forget(key);
                }
                else
                {
                    _graph.Add(key, link);
                }
            }
        }
        _graph.Changes = [];
        if (state.State.PendingParts.Count > 0 || (state.State.ForwardedTo is not null && !state.State.Released))
        {
            // A crash between steps: finish them soon (not inside the activation).
            this.RegisterGrainTimer(static (self, _) => self.FinishAsync(), this,
                new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = true });
        }
        return Task.CompletedTask;
    }

    public async Task<ClusterAnswer> ApplyAsync(ClusterCommand command)
    {
        if (state.State.ForwardedTo is { } to)
        {
            return ClusterAnswer.Forward(to);
        }
        if ((command.Remove.Count > 0 || command.Exclude.Count > 0) && ReservedByOther(command.Token))
        {
            // A writer is merging into this cluster relying on its members: no split until it is done.
            return new ClusterAnswer(null, new Dictionary<string, string>(), [], _graph.Size, Busy: true);
        }
        var absorbedMembers = command.Absorb.Where(a => !state.State.Absorbed.Contains(a.Id))
            .SelectMany(a => a.Links.Values).SelectMany(l => new[] { l.U, l.V }).ToHashSet(StringComparer.Ordinal);
        // Nodes joining are claimed first (pointed here if they still point where the writer saw them): a node another
        // writer claimed meanwhile belongs to that cluster, which the writer brings in next time. A node is never in
        // two clusters.
        var joining = command.Add.SelectMany(l => new[] { l.SourceId, l.TargetId })
            .Where(n => !_graph.Contains(n) && !absorbedMembers.Contains(n)).Distinct(StringComparer.Ordinal).ToList();
        var claims = await Task.WhenAll(joining.Select(async n =>
            (Node: n, Now: await GrainFactory.GetNode(n).SetClusterAsync(command.Expected?.GetValueOrDefault(n), Id))));
        var claimed = claims.Where(c => c.Now != Id).ToDictionary(c => c.Node, c => c.Now ?? "", StringComparer.Ordinal);
        if (claimed.Count > 0)
        {
            return new ClusterAnswer(null, claimed, [], _graph.Size);
        }
        PruneTombstones();

        var membersBefore = _graph.Members.ToHashSet(StringComparer.Ordinal);
        var taggedBefore = Tagged(membersBefore);
        var merged = new List<(string Loser, IReadOnlyList<string> Tagged, int Size)>();
        foreach (var sealedCluster in command.Absorb.Where(a => !state.State.Absorbed.Contains(a.Id)))
        {
            var loserMembers = sealedCluster.Links.Values.SelectMany(l => new[] { l.U, l.V }).ToHashSet(StringComparer.Ordinal);
            foreach (var (key, link) in sealedCluster.Links)
            {
                if (!state.State.Tombstones.ContainsKey(key))
                {
                    _graph.Add(key, link);
                }
            }
            foreach (var (key, at) in sealedCluster.Tombstones ?? new Dictionary<string, DateTimeOffset>())
            {
                state.State.Tombstones.TryAdd(key, at);
            }
            state.State.Absorbed.Add(sealedCluster.Id);
            if (state.State.Absorbed.Count > MaxAbsorbedKept)
            {
                state.State.Absorbed.RemoveAt(0); // only a retried absorb (seconds later) needs to be recognised
            }
            merged.Add((sealedCluster.Id, Tagged(loserMembers), loserMembers.Count));
        }
        foreach (var link in command.Add)
        {
            state.State.Tombstones.Remove(link.EdgeKey);
            _graph.Add(link.EdgeKey, new ClusterLink(link.SourceId, link.TargetId, link.Kind, link.Access));
        }
        foreach (var key in command.Tombstone ?? [])
        {
            state.State.Tombstones[key] = time.GetUtcNow();
        }
        // Removals of links (and exclusions of nodes) not held here are answered: the writer looks again where they are.
        var absent = command.Remove.Where(l => !_graph.Links.ContainsKey(l.EdgeKey)).Select(l => l.EdgeKey)
            .Concat(command.Exclude.Where(n => !_graph.Contains(n))).ToList();
        var (removedParts, _) = _graph.Remove(command.Remove.Select(l => l.EdgeKey));
        var (excludedParts, _) = _graph.RemoveNodes(command.Exclude);
        var parts = removedParts.Concat(excludedParts).Where(p => p.Size > 1).ToList();
        // Joined through a link of this command (members of absorbed clusters keep pointing at them: they forward here).
        var joined = joining.Where(_graph.Contains).ToList();

        var pending = new Dictionary<string, Dictionary<string, ClusterLink>>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            var partId = "cluster--" + Guid.NewGuid().ToString("D");
            pending[partId] = part.Links.ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal);
        }
        var incidentsBefore = ClusterEvents.Incidents(taggedBefore);
        foreach (var (id, links) in pending)
        {
            state.State.PendingParts[id] = links;
        }
        await PersistAsync();
        await WritePendingPartsAsync();

        var tagged = Tagged(_graph.Members);
        var events = new ClusterEvents(Id, _graph.Size, tagged, time.GetUtcNow(), watched.Publishes);
        events.Merged(taggedBefore, membersBefore.Count, merged);
        events.Joined(joined);
        events.Split([.. pending.Select(p =>
        {
            var members = p.Value.Values.SelectMany(l => new[] { l.U, l.V }).ToHashSet(StringComparer.Ordinal);
            return (p.Key, (IReadOnlyList<string>)Tagged(members), members.Count);
        })]);
        // A campaign that lost its last link is in no part: its subscribers and those still here hear of the split too.
        var inParts = pending.Values.SelectMany(p => p.Values).SelectMany(l => new[] { l.U, l.V }).ToHashSet(StringComparer.Ordinal);
        events.Dropped([.. taggedBefore.Concat(merged.SelectMany(m => m.Tagged)).Where(ClusterEvents.IsCampaign)
            .Where(c => !_graph.Contains(c) && !inParts.Contains(c)).Distinct(StringComparer.Ordinal)]);
        if (!incidentsBefore.SequenceEqual(ClusterEvents.Incidents(tagged)) || pending.Count > 0)
        {
            events.SeverityMayHaveChanged();
        }
        await PublishAsync(events);
        return new ClusterAnswer(null, new Dictionary<string, string>(), joined, _graph.Size, absent);
    }

    public async Task<SealAnswer> SealAsync(string into, IReadOnlyList<string> members)
    {
        if (state.State.ForwardedTo is { } to && (to != into || state.State.Released))
        {
            return new SealAnswer(to, null);
        }
        if (state.State.ForwardedTo is null && ReservedByOther(null))
        {
            return new SealAnswer(null, null, Busy: true);
        }
        if (state.State.ForwardedTo is null && !members.All(_graph.Contains))
        {
            return new SealAnswer(null, null, Changed: true);
        }
        if (state.State.ForwardedTo is null)
        {
            state.State.ForwardedTo = into;
            await PersistAsync();
        }
        return new SealAnswer(null, new SealedCluster(Id, CurrentLinks(), state.State.Tombstones));
    }

    public async Task ReleaseAsync()
    {
        if (state.State.ForwardedTo is not null && !state.State.Released)
        {
            state.State.Released = true;
            state.State.Journal = [];
            state.State.Generation++;
            snapshot.State = new ClusterLinksState { Generation = state.State.Generation };
            _graph = new ClusterGraph { Changes = [] };
            await snapshot.WriteStateAsync();
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyDictionary<string, NodePlace>> LocateAsync(IReadOnlyList<string> nodeIds)
    {
        var places = new Dictionary<string, NodePlace>(StringComparer.Ordinal);
        foreach (var n in nodeIds)
        {
            places[n] = state.State.ForwardedTo is { } to ? new NodePlace(NodePlaceKind.Forwarded, to, InTransit: !state.State.Released && _graph.Contains(n))
                : _graph.Contains(n) ? new NodePlace(NodePlaceKind.Here, Id)
                : new NodePlace(NodePlaceKind.NotHere);
        }
        return Task.FromResult<IReadOnlyDictionary<string, NodePlace>>(places);
    }

    public Task<int> SizeAsync() => Task.FromResult(state.State.ForwardedTo is null ? _graph.Size : 0);

    public Task<ClusterView?> GetViewAsync(int skip, int take)
    {
        if (state.State.ForwardedTo is not null || _graph.Size == 0)
        {
            return Task.FromResult<ClusterView?>(null);
        }
        var members = _graph.Members.Order(StringComparer.Ordinal).ToList();
        var tagged = Tagged(members);
        return Task.FromResult<ClusterView?>(new ClusterView(Id, members.Count,
            [.. members.Skip(Math.Max(0, skip)).Take(Math.Max(0, take))],
            [.. tagged.Where(ClusterEvents.IsCampaign)],
            [.. tagged.Where(x => CorrelationPolicy.TypeOf(x) is "intrusion-set" or "threat-actor")],
            ClusterEvents.Incidents(tagged), ""));
    }

    public async Task SeverityChangedAsync(IReadOnlyList<string> incidentIds)
    {
        if (state.State.ForwardedTo is null && incidentIds.Any(_graph.Contains))
        {
            var events = new ClusterEvents(Id, _graph.Size, Tagged(_graph.Members), time.GetUtcNow(), watched.Publishes);
            events.SeverityMayHaveChanged();
            await PublishAsync(events);
        }
    }

    public Task<LinkSubgraph> GetLinkSubgraphAsync(string nodeId, int maxDepth, int maxNodes)
    {
        if (state.State.ForwardedTo is not null || !_graph.Contains(nodeId))
        {
            return Task.FromResult(new LinkSubgraph(null, [], false, null));
        }
        var (links, partial) = _graph.Around(nodeId, maxDepth, maxNodes);
        return Task.FromResult(new LinkSubgraph(Id,
            [.. links.Select(x => new ThreatGraph.Contracts.Traversal.SubgraphEdge(x.Key, x.Link.Kind, x.Link.U, x.Link.V, x.Link.Access))], partial is not null, partial));
    }

    /// <summary>Writes each pending part as a cluster of its own (idempotent) and points its members at it — within this
    /// turn, so no reader meets a member that is in neither — then forgets it.</summary>
    async Task WritePendingPartsAsync()
    {
        if (state.State.PendingParts.Count == 0)
        {
            return;
        }
        foreach (var (partId, links) in state.State.PendingParts.ToList())
        {
            await GrainFactory.Reference<IClusterGrain>(partId).ApplyAsync(new ClusterCommand([], [], [], [new SealedCluster($"{Id}#{partId}", links)]));
            var members = links.Values.SelectMany(l => new[] { l.U, l.V }).Distinct(StringComparer.Ordinal).ToList();
            await Task.WhenAll(members.Select(n => GrainFactory.GetNode(n).PointAtAsync(partId)));
        }
        state.State.PendingParts.Clear();
        await PersistAsync();
    }

    /// <summary>After a crash: re-sends pending parts, and re-offers a sealed cluster's links to the one it forwards to.</summary>
    async Task FinishAsync()
    {
        try
        {
            await WritePendingPartsAsync();
            if (state.State.ForwardedTo is { } to && !state.State.Released)
            {
                for (var hops = 0; hops < 64; hops++)
                {
                    var answer = await GrainFactory.Reference<IClusterGrain>(to).ApplyAsync(
                        new ClusterCommand([], [], [], [new SealedCluster(Id, CurrentLinks(), state.State.Tombstones)]));
                    if (answer.ForwardedTo is null)
                    {
                        await ReleaseAsync();
                        break;
                    }
                    to = answer.ForwardedTo;
                }
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "cluster {Cluster}: finishing an interrupted merge or split failed; it is tried again on the next activation", Id);
        }
    }

    async Task PublishAsync(ClusterEvents events)
    {
        var provider = this.GetStreamProvider(StorageNames.Streams);
        var sends = new List<Task>();
        foreach (var update in events.CampaignUpdates())
        {
            sends.Add(provider.GetStream<CampaignUpdate>(StreamId.Create(CorrelationStreams.Campaign, update.CampaignId)).OnNextAsync(update));
        }
        var mergedStream = provider.GetStream<ClusterMerged>(StreamId.Create(CorrelationStreams.ClusterMerged, CorrelationStreams.AllKey));
        foreach (var m in watched.PublishesClusterMerges ? events.ClusterMerges() : [])
        {
            sends.Add(mergedStream.OnNextAsync(m));
        }
        try
        {
            await Task.WhenAll(sends);
        }
        catch (Exception e)
        {
            // Notifications are best effort: the cluster itself is already written and readable.
            logger.LogWarning(e, "publishing {Count} correlation updates failed", sends.Count);
        }
    }

    const int MaxAbsorbedKept = 1_000;

    /// <summary>The links as a dictionary (what a sealed cluster hands over).</summary>
    Dictionary<string, ClusterLink> CurrentLinks() => _graph.Links.ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal);

    /// <summary>Writes the small facts and the link changes since the last write; when the journal has grown past a
    /// quarter of the cluster (or 500 changes), the links are written whole once and the journal starts again. A write
    /// costs the command's changes, amortised.</summary>
    async Task PersistAsync()
    {
        foreach (var change in _graph.Changes ?? [])
        {
            state.State.Journal.Add(new LinkDelta(change.Key, change.Link));
        }
        _graph.Changes = [];
        if (state.State.Journal.Count > Math.Max(500, _graph.LinkCount / 4))
        {
            // Whole links first (next generation), then the facts pointing at it: a crash in between leaves a newer
            // snapshot and an older journal, which activation then ignores.
            snapshot.State = new ClusterLinksState { Links = CurrentLinks(), Generation = state.State.Generation + 1 };
            await snapshot.WriteStateAsync();
            state.State.Generation++;
            state.State.Journal = [];
        }
        await state.WriteStateAsync();
    }

    /// <summary>How long a removal of a link not held here is remembered (the absorb it races with comes within seconds).</summary>
    public static readonly TimeSpan TombstoneTime = TimeSpan.FromMinutes(10);

    void PruneTombstones()
    {
        var cutoff = time.GetUtcNow() - TombstoneTime;
        foreach (var key in state.State.Tombstones.Where(t => t.Value < cutoff).Select(t => t.Key).ToList())
        {
            state.State.Tombstones.Remove(key);
        }
    }

    static List<string> Tagged(IEnumerable<string> members) => [.. members.Where(CorrelationPolicy.IsTagged).Order(StringComparer.Ordinal)];
}
