using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using ThreatGraph.Grains.Traversal;
using ThreatGraph.Stix;

namespace ThreatGraph.Grains.Correlation;

/// <summary>Persisted state of the cluster grain: the linking edges, the assignment of nodes to clusters, forwards of
/// merged-away ids, exclusions. Written on a timer when it changed (re-ingesting heals what a crash lost).</summary>
[GenerateSerializer, Alias("tg.ClusterRegistryState")]
public sealed class ClusterRegistryState
{
    [Id(0)] public Dictionary<string, StoredLink> Links { get; set; } = [];
    [Id(1)] public Dictionary<string, string> Assignment { get; set; } = [];
    [Id(2)] public Dictionary<string, string> Forwards { get; set; } = [];
    [Id(3)] public Dictionary<string, string> Exclusions { get; set; } = [];
    [Id(4)] public Dictionary<string, string> Severity { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("tg.StoredLink")]
public sealed record StoredLink([property: Id(0)] string U, [property: Id(1)] string V, [property: Id(2)] string Kind,
    [property: Id(3)] Security.AccessDescriptor? Access = null);

/// <summary>
/// Single writer of the cluster partition (see <see cref="IClusterRegistryGrain"/>). Each batch: exclusions, then edge
/// additions (union by size) and removals (recomputation at commit), then the degree cap, then one commit whose merge
/// and split events become per-campaign updates and cluster-merged events on the streams.
/// </summary>
public sealed class ClusterRegistryGrain(
    [PersistentState("clusters", StorageNames.Graph)] IPersistentState<ClusterRegistryState> state,
    IOptions<CorrelationOptions> options,
    ILogger<ClusterRegistryGrain> logger,
    TimeProvider time) : Grain, IClusterRegistryGrain
{
    /// <summary>How a degree exclusion reads. It never states the degree: that would count links the reader may not see.</summary>
    const string DegreePrefix = "more linking edges than the cap of ";
    readonly CorrelationPolicy _policy = new(options.Value);
    readonly Dictionary<string, string> _severity = new(StringComparer.Ordinal);
    /// <summary>Who may see each link's declaring report (by edge key): readers' views use only the links they may see.</summary>
    readonly Dictionary<string, Security.AccessDescriptor?> _access = new(StringComparer.Ordinal);
    ClusterForest _forest = null!;
    bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _forest = new ClusterForest(() => "cluster--" + Guid.NewGuid().ToString("D"), CorrelationPolicy.IsTagged);
        _forest.Restore(state.State.Links.Select(x => (x.Key, new ForestEdge(x.Value.U, x.Value.V, x.Value.Kind))),
            state.State.Assignment, state.State.Forwards, state.State.Exclusions);
        foreach (var (k, v) in state.State.Severity)
        {
            _severity[k] = v;
        }
        foreach (var (k, link) in state.State.Links)
        {
            _access[k] = link.Access;
        }
        var period = TimeSpan.FromSeconds(options.Value.PersistIntervalSeconds);
        this.RegisterGrainTimer(static (self, _) => self.PersistIfDirtyAsync(), this,
            new GrainTimerCreationOptions { DueTime = period, Period = period, Interleave = false, KeepAlive = false });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await PersistIfDirtyAsync();

    public async Task ApplyAsync(CorrelationBatch batch)
    {
        foreach (var (node, reason) in batch.Exclusions)
        {
            _forest.SetExcluded(node, reason);
        }
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in batch.Changes)
        {
            var changed = c.Add ? _forest.AddEdge(c.EdgeKey, c.SourceId, c.TargetId, c.Kind) : _forest.RemoveEdge(c.EdgeKey);
            if (c.Add)
            {
                _access[c.EdgeKey] = c.Access; // a new version may change who sees the link
            }
            else
            {
                _access.Remove(c.EdgeKey);
            }
            if (changed)
            {
                touched.Add(c.SourceId);
                touched.Add(c.TargetId);
            }
        }
        ApplyDegreeCap(touched);
        var events = _forest.Commit();
        _dirty = true;
        if (events.Count > 0)
        {
            await PublishAsync(events);
        }
    }

    void ApplyDegreeCap(HashSet<string> nodes)
    {
        foreach (var node in nodes)
        {
            if (!StixTypes.IsObservable(CorrelationPolicy.TypeOf(node)))
            {
                continue;
            }
            var degree = _forest.Degree(node);
            var current = _forest.ExclusionOf(node);
            if (degree > _policy.MaxObservableDegree && current is null)
            {
                _forest.SetExcluded(node, $"{DegreePrefix}{_policy.MaxObservableDegree} (Correlation:MaxObservableDegree)");
            }
            else if (degree <= _policy.MaxObservableDegree && current is not null && current.StartsWith(DegreePrefix, StringComparison.Ordinal))
            {
                _forest.SetExcluded(node, null);
            }
        }
    }

    async Task PublishAsync(IReadOnlyList<object> events)
    {
        var now = time.GetUtcNow();
        var updates = new Dictionary<string, Pending>(StringComparer.Ordinal);
        Pending For(string campaign) => updates.TryGetValue(campaign, out var p) ? p : updates[campaign] = new Pending();
        var merged = new List<ClusterMerged>();
        var touchedClusters = new HashSet<string>(StringComparer.Ordinal);

        foreach (var ev in events)
        {
            switch (ev)
            {
                case ClusterMergeEvent m:
                {
                    touchedClusters.Add(m.Winner);
                    var winnerCampaigns = m.WinnerTagged.Where(IsCampaign).ToList();
                    var loserCampaigns = m.LoserTagged.Where(IsCampaign).ToList();
                    var newMember = m.LoserSize == 1 && m.LoserTagged.Count == 0;
                    foreach (var c in winnerCampaigns)
                    {
                        var p = For(c);
                        if (newMember)
                        {
                            p.Kinds.Add(CampaignUpdateKind.NewMember);
                            p.NewMembers.UnionWith(m.LoserMembersSample);
                        }
                        else
                        {
                            p.Kinds.Add(CampaignUpdateKind.Merge);
                            p.Merged.Add(m.Loser);
                        }
                        if (loserCampaigns.Count > 0)
                        {
                            p.Kinds.Add(CampaignUpdateKind.NewLink);
                            p.NewlyLinked.UnionWith(loserCampaigns);
                        }
                    }
                    foreach (var c in loserCampaigns)
                    {
                        var p = For(c);
                        p.Kinds.Add(CampaignUpdateKind.Merge);
                        p.Merged.Add(m.Loser);
                        if (winnerCampaigns.Count > 0)
                        {
                            p.Kinds.Add(CampaignUpdateKind.NewLink);
                            p.NewlyLinked.UnionWith(winnerCampaigns);
                        }
                    }
                    if (m.WinnerSizeBefore > 1 && m.LoserSize > 1)
                    {
                        merged.Add(new ClusterMerged(m.Winner, m.Loser, m.WinnerSizeBefore + m.LoserSize, m.LoserSize,
                            [.. winnerCampaigns.Concat(loserCampaigns)], now));
                    }
                    _severity.Remove(m.Loser);
                    break;
                }
                case ClusterSplitEvent s:
                    foreach (var part in s.Parts)
                    {
                        touchedClusters.Add(part.Id);
                        var others = s.Parts.Where(x => x.Id != part.Id).SelectMany(x => x.Tagged.Where(IsCampaign)).ToList();
                        foreach (var c in part.Tagged.Where(IsCampaign))
                        {
                            var p = For(c);
                            p.Kinds.Add(CampaignUpdateKind.Split);
                            p.Unlinked.UnionWith(others);
                        }
                    }
                    break;
            }
        }

        foreach (var id in touchedClusters)
        {
            if (_forest.Resolve(id) is not { } live)
            {
                continue;
            }
            var severity = Severity(live);
            var before = _severity.GetValueOrDefault(live, "NONE");
            _severity[live] = severity;
            if (severity != before)
            {
                foreach (var c in _forest.Tagged(live).Where(IsCampaign))
                {
                    For(c).Kinds.Add(CampaignUpdateKind.SeverityChange);
                }
            }
        }

        var provider = this.GetStreamProvider(StorageNames.Streams);
        var sends = new List<Task>();
        foreach (var (campaign, p) in updates)
        {
            var cluster = _forest.ClusterOf(campaign)!;
            var linked = _forest.Tagged(cluster).Where(x => IsCampaign(x) && x != campaign).Order(StringComparer.Ordinal).ToList();
            var update = new CampaignUpdate(campaign, [.. p.Kinds.Order()], cluster, _forest.Size(cluster), linked,
                [.. p.NewlyLinked.Where(x => x != campaign && linked.Contains(x)).Order(StringComparer.Ordinal)],
                [.. p.Unlinked.Where(x => !linked.Contains(x)).Order(StringComparer.Ordinal)],
                [.. p.NewMembers.Order(StringComparer.Ordinal).Take(ClusterForest.SampleSize)],
                [.. p.Merged.Order(StringComparer.Ordinal)], Severity(cluster), now);
            sends.Add(provider.GetStream<CampaignUpdate>(StreamId.Create(CorrelationStreams.Campaign, campaign)).OnNextAsync(update));
        }
        var mergedStream = provider.GetStream<ClusterMerged>(StreamId.Create(CorrelationStreams.ClusterMerged, CorrelationStreams.AllKey));
        foreach (var m in merged)
        {
            sends.Add(mergedStream.OnNextAsync(m));
        }
        try
        {
            await Task.WhenAll(sends);
        }
        catch (Exception e)
        {
            // Notifications are best effort: the partition itself is already updated and readable.
            logger.LogWarning(e, "publishing {Count} correlation updates failed", sends.Count);
        }
    }

    /// <summary>Cluster severity from the incidents it holds: NONE 0, LOW 1, MEDIUM 2–3, HIGH 4–9, CRITICAL 10+.</summary>
    string Severity(string cluster)
    {
        return SeverityOf(_forest.Tagged(cluster).Count(x => CorrelationPolicy.TypeOf(x) == "incident"));
    }

    public static string SeverityOf(int incidents) =>
        incidents switch { 0 => "NONE", 1 => "LOW", <= 3 => "MEDIUM", <= 9 => "HIGH", _ => "CRITICAL" };

    static bool IsCampaign(string id) => id.StartsWith("campaign--", StringComparison.Ordinal);

    public Task<IReadOnlyDictionary<string, string>> GetClusterIdsAsync(IReadOnlyList<string> nodeIds)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in nodeIds)
        {
            if (_forest.ClusterOf(id) is { } c)
            {
                result[id] = c;
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, string>>(result);
    }

    public Task<ClusterView?> GetClusterAsync(string clusterOrNodeId, int skip, int take)
    {
        var id = clusterOrNodeId.StartsWith("cluster--", StringComparison.Ordinal)
            ? _forest.Resolve(clusterOrNodeId)
            : _forest.ClusterOf(clusterOrNodeId);
        if (id is null)
        {
            return Task.FromResult<ClusterView?>(null);
        }
        var members = _forest.Members(id).Order(StringComparer.Ordinal).Skip(Math.Max(0, skip)).Take(Math.Max(0, take)).ToList();
        var tagged = _forest.Tagged(id).Order(StringComparer.Ordinal).ToList();
        return Task.FromResult<ClusterView?>(new ClusterView(id, _forest.Size(id), members,
            [.. tagged.Where(IsCampaign)],
            [.. tagged.Where(x => CorrelationPolicy.TypeOf(x) is "intrusion-set" or "threat-actor")],
            [.. tagged.Where(x => CorrelationPolicy.TypeOf(x) == "incident")],
            Severity(id)));
    }

    public Task<IReadOnlyDictionary<string, string>> GetExclusionsAsync(IReadOnlyList<string> nodeIds)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in nodeIds)
        {
            if (_forest.ExclusionOf(id) is { } reason)
            {
                result[id] = reason;
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, string>>(result);
    }

    public Task<LinkSubgraph> GetLinkSubgraphAsync(string nodeId, int maxDepth, int maxNodes)
    {
        var cluster = _forest.ClusterOf(nodeId);
        if (cluster is null)
        {
            return Task.FromResult(new LinkSubgraph(null, [], false, null));
        }
        var seen = new HashSet<string>(StringComparer.Ordinal) { nodeId };
        var edges = new Dictionary<string, SubgraphEdge>(StringComparer.Ordinal);
        var frontier = new List<string> { nodeId };
        string? partial = null;
        for (var depth = 0; depth < maxDepth && frontier.Count > 0; depth++)
        {
            var next = new List<string>();
            foreach (var n in frontier)
            {
                foreach (var (key, e) in _forest.EdgesAt(n))
                {
                    if (!_forest.IsActive(e))
                    {
                        continue;
                    }
                    var peer = e.U == n ? e.V : e.U;
                    if (!seen.Contains(peer))
                    {
                        if (seen.Count >= maxNodes)
                        {
                            partial ??= $"stopped at the limit of {maxNodes} nodes";
                            continue;
                        }
                        seen.Add(peer);
                        next.Add(peer);
                    }
                    edges.TryAdd(key, new SubgraphEdge(key, e.Kind, e.U, e.V, _access.GetValueOrDefault(key)));
                }
            }
            frontier = next;
        }
        if (partial is null && frontier.Count > 0 && frontier.Any(n => _forest.EdgesAt(n).Any(x => _forest.IsActive(x.Edge) && !seen.Contains(x.Edge.U == n ? x.Edge.V : x.Edge.U))))
        {
            partial = $"stopped at the depth limit of {maxDepth} hops";
        }
        return Task.FromResult(new LinkSubgraph(cluster, [.. edges.Values], partial is not null, partial));
    }

    public Task<IReadOnlyList<string>> ListClustersAsync(int minSize, int take) =>
        Task.FromResult<IReadOnlyList<string>>([.. _forest.Clusters.Where(c => _forest.Size(c) >= minSize)
            .OrderByDescending(_forest.Size).ThenBy(c => c, StringComparer.Ordinal).Take(take)]);

    async Task PersistIfDirtyAsync()
    {
        if (!_dirty)
        {
            return;
        }
        _dirty = false;
        var s = state.State;
        s.Links = _forest.Edges.ToDictionary(x => x.Key, x => new StoredLink(x.Value.U, x.Value.V, x.Value.Kind, _access.GetValueOrDefault(x.Key)), StringComparer.Ordinal);
        s.Assignment = new Dictionary<string, string>(_forest.Assignment, StringComparer.Ordinal);
        s.Forwards = new Dictionary<string, string>(_forest.Forwards, StringComparer.Ordinal);
        s.Exclusions = new Dictionary<string, string>(_forest.Exclusions, StringComparer.Ordinal);
        s.Severity = new Dictionary<string, string>(_severity, StringComparer.Ordinal);
        await state.WriteStateAsync();
    }

    sealed class Pending
    {
        public HashSet<CampaignUpdateKind> Kinds { get; } = [];
        public HashSet<string> NewlyLinked { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Unlinked { get; } = new(StringComparer.Ordinal);
        public HashSet<string> NewMembers { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Merged { get; } = new(StringComparer.Ordinal);
    }
}
