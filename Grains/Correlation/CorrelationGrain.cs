using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// The correlation writer and reader (<see cref="ICorrelationGrain"/>), stateless, on any silo. A batch of linking-edge
/// changes (one ingest's) is applied as:
/// <list type="number">
/// <item>Warninglist exclusions are recorded on their nodes; every node of the batch is asked which cluster it points
/// at and whether it links (degree cap), and the pointers are followed to the live clusters.</item>
/// <item>Excluded members and removed links go to the cluster that holds them (which may split).</item>
/// <item>New links between linking nodes are grouped with a union-find over the clusters and unclustered nodes they
/// touch; each group goes to ONE cluster, the largest of its group, which absorbs the others (sealed first) and takes
/// the links; nodes that joined are pointed at it. A race lost to another writer (a cluster already sealed, a node
/// pointed elsewhere, a member cut off by a split) is answered with where things are now, and the group is done again.</item>
/// </list>
/// Every write is awaited before the ingest answers: what an ingest acknowledged is correlated (no timer window).
/// </summary>
[StatelessWorker]
public sealed class CorrelationGrain(IOptions<IngestOptions> ingest, ILogger<CorrelationGrain> logger) : Grain, ICorrelationGrain
{
    const int MaxRounds = 32;
    const int MaxHops = 64;
    /// <summary>How long a removal waits for merges into its cluster: a merge's reservation lasts 10 s at most, and this
    /// stays under the 15 s an ingest's caller waits by default (Orleans:ResponseTimeoutSeconds).</summary>
    static readonly TimeSpan BusyWait = TimeSpan.FromSeconds(12);
    readonly int _parallelism = Math.Max(1, ingest.Value.MaxParallelism);

    public async Task ApplyAsync(CorrelationBatch batch)
    {
        await BoundedParallel.ForEachAsync(batch.Exclusions.ToList(), _parallelism,
            async x => await GrainFactory.GetNode(x.Key).SetWarninglistAsync(x.Value));

        var nodes = batch.Changes.SelectMany(c => new[] { c.SourceId, c.TargetId }).Concat(batch.Exclusions.Keys).Concat(batch.Recheck ?? [])
            .Distinct(StringComparer.Ordinal).ToList();
        var facts = await FactsAsync(nodes);
        var pointers = facts.ToDictionary(f => f.Key, f => f.Value.ClusterId, StringComparer.Ordinal);
        var clusters = await ResolveAsync(pointers);

        // Members that stop linking, and removed links, go to the cluster that holds them.
        var removals = new Dictionary<string, (List<LinkChange> Links, List<string> Nodes)>(StringComparer.Ordinal);
        (List<LinkChange> Links, List<string> Nodes) For(string cluster) =>
            removals.TryGetValue(cluster, out var r) ? r : removals[cluster] = ([], []);
        foreach (var (node, fact) in facts)
        {
            if (fact.Exclusion is not null && clusters.GetValueOrDefault(node) is { } c)
            {
                For(c).Nodes.Add(node);
            }
        }
        foreach (var change in batch.Changes.Where(c => !c.Add))
        {
            if ((clusters.GetValueOrDefault(change.SourceId) ?? clusters.GetValueOrDefault(change.TargetId)) is { } c)
            {
                For(c).Links.Add(change);
            }
        }
        await BoundedParallel.ForEachAsync(removals.ToList(), _parallelism, async r =>
            await RemoveAsync(r.Key, r.Value.Links, r.Value.Nodes));

        // New links between nodes that link.
        var adds = batch.Changes.Where(c => c.Add && facts[c.SourceId].Exclusion is null && facts[c.TargetId].Exclusion is null).ToList();
        if (adds.Count == 0)
        {
            return;
        }
        if (removals.Count > 0)
        {
            pointers = await PointersAsync(adds.SelectMany(a => new[] { a.SourceId, a.TargetId }));
            clusters = await ResolveAsync(pointers);
        }
        for (var round = 0; adds.Count > 0; round++)
        {
            if (round == MaxRounds)
            {
                throw new InvalidOperationException($"correlation did not settle after {MaxRounds} rounds ({adds.Count} links left): send the bundle again");
            }
            var retry = new List<LinkChange>();
            await BoundedParallel.ForEachAsync(Group(adds, clusters, pointers), _parallelism, async group =>
            {
                if (!await ApplyGroupAsync(group))
                {
                    lock (retry)
                    {
                        retry.AddRange(group.Links);
                    }
                }
            });
            adds = retry;
            if (adds.Count > 0)
            {
                logger.LogDebug("correlation: {Count} links meet a concurrent change, grouping again", adds.Count);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 << Math.Min(round, 6))));
                pointers = await PointersAsync(adds.SelectMany(a => new[] { a.SourceId, a.TargetId }));
                clusters = await ResolveAsync(pointers);
            }
        }
    }

    /// <param name="Resolved">The live cluster of each end, as the writer saw it (null: none).</param>
    /// <param name="Pointers">What each end pointed at, as the writer saw it: a joining end is claimed only if it still does.</param>
    sealed record LinkGroup(IReadOnlyList<LinkChange> Links, IReadOnlyList<string> Clusters,
        IReadOnlyDictionary<string, string?> Resolved, IReadOnlyDictionary<string, string?> Pointers);

    /// <summary>One cluster — the largest of the group — takes the group's links and absorbs the group's other clusters.
    /// It is reserved first, so no other writer seals it meanwhile (two clusters sealed into each other would forward in a
    /// circle). False when a concurrent change got in the way: the caller groups again with fresh pointers. Clusters
    /// already sealed into the winner are always delivered to where it ends up, so their links are never lost.</summary>
    async Task<bool> ApplyGroupAsync(LinkGroup group)
    {
        var winner = group.Clusters.Count switch
        {
            0 => "cluster--" + Guid.NewGuid().ToString("D"),
            1 => group.Clusters[0],
            _ => await LargestAsync(group.Clusters),
        };
        // Which ends the writer saw in which cluster: each cluster must still hold them when it is reserved or sealed,
        // or the group was built on a stale view (a split since) and is built again.
        var ends = group.Links.SelectMany(l => new[] { l.SourceId, l.TargetId }).Distinct(StringComparer.Ordinal).ToList();
        IReadOnlyList<string> MembersIn(string cluster) => [.. ends.Where(n => group.Resolved.GetValueOrDefault(n) == cluster)];
        var token = Guid.NewGuid().ToString("N");
        var losers = group.Clusters.Where(c => c != winner).ToList();
        var reserved = losers.Count > 0 ? winner : null;
        if (reserved is not null && !await GrainFactory.Reference<IClusterGrain>(winner).ReserveAsync(token, MembersIn(winner)))
        {
            return false;
        }
        var sealedOnes = new List<SealedCluster>();
        try
        {
            var stale = false;
            foreach (var loser in losers)
            {
                var seal = await GrainFactory.Reference<IClusterGrain>(loser).SealAsync(winner, MembersIn(loser));
                if (seal.Content is not { } content)
                {
                    stale = true; // reserved by another writer, merged elsewhere, or split since we looked
                    break;
                }
                sealedOnes.Add(content);
            }
            // What was sealed goes into the winner in any case (a sealed cluster must end up somewhere): the reservation
            // kept the winner whole, and each sealed cluster still held the ends that connect it to the group.
            for (var hops = 0; hops < MaxHops; hops++)
            {
                if (stale && sealedOnes.Count == 0)
                {
                    return false;
                }
                var answer = await GrainFactory.Reference<IClusterGrain>(winner).ApplyAsync(
                    new ClusterCommand(stale ? [] : group.Links, [], [], sealedOnes, group.Pointers, Token: token));
                if (answer.ForwardedTo is { } to)
                {
                    winner = to; // sealed before we looked (no losers, so no reservation): deliver there
                    continue;
                }
                if (answer.Moved.Count > 0)
                {
                    // A joining end belongs to another cluster now (another writer claimed it, or a split moved it):
                    // deliver what was sealed, then group again with a fresh view.
                    stale = true;
                    continue;
                }
                await ReleaseAsync(sealedOnes);
                return !stale;
            }
            throw new InvalidOperationException($"correlation: cluster {winner} kept forwarding; send the bundle again");
        }
        finally
        {
            if (reserved is not null)
            {
                await GrainFactory.Reference<IClusterGrain>(reserved).UnreserveAsync(token);
            }
        }
    }

    async Task ReleaseAsync(IEnumerable<SealedCluster> sealedOnes) =>
        await Task.WhenAll(sealedOnes.Select(s => GrainFactory.Reference<IClusterGrain>(s.Id).ReleaseAsync()));

    async Task<string> LargestAsync(IReadOnlyList<string> clusters)
    {
        var sizes = await Task.WhenAll(clusters.Select(c => GrainFactory.Reference<IClusterGrain>(c).SizeAsync()));
        return clusters.Zip(sizes).OrderByDescending(x => x.Second).ThenBy(x => x.First, StringComparer.Ordinal).First().First;
    }

    /// <summary>Union-find over the links: each group holds the clusters and unclustered nodes its links connect, and the
    /// pointers the nodes had (what a node must still point at for the writer to point it at the group's cluster).</summary>
    static List<LinkGroup> Group(List<LinkChange> adds, IReadOnlyDictionary<string, string?> clusters, IReadOnlyDictionary<string, string?> pointers)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        string Find(string x)
        {
            while (parent.TryGetValue(x, out var p) && p != x)
            {
                x = p;
            }
            return x;
        }
        string Key(string node) => clusters.GetValueOrDefault(node) ?? node;
        foreach (var link in adds)
        {
            var (a, b) = (Find(Key(link.SourceId)), Find(Key(link.TargetId)));
            parent.TryAdd(a, a);
            parent.TryAdd(b, b);
            if (a != b)
            {
                parent[a] = b;
            }
        }
        return [.. adds.GroupBy(l => Find(Key(l.SourceId))).Select(g =>
        {
            var ends = g.SelectMany(l => new[] { l.SourceId, l.TargetId }).Distinct(StringComparer.Ordinal).ToList();
            return new LinkGroup([.. g], [.. ends.Select(n => clusters.GetValueOrDefault(n)).OfType<string>().Distinct(StringComparer.Ordinal)],
                ends.ToDictionary(n => n, n => clusters.GetValueOrDefault(n), StringComparer.Ordinal),
                ends.ToDictionary(n => n, n => pointers.GetValueOrDefault(n), StringComparer.Ordinal));
        })];
    }

    /// <summary>Removals and exclusions go to the cluster that holds them, following it where it forwards to. What it
    /// does not hold is looked up again: held elsewhere now (a split moved it) → sent there; still meant for this
    /// cluster → it is about to absorb the cluster that holds it, so it remembers the removal (a tombstone).</summary>
    async Task RemoveAsync(string cluster, IReadOnlyList<LinkChange> links, IReadOnlyList<string> nodes)
    {
        var work = new Queue<(string Cluster, IReadOnlyList<LinkChange> Links, IReadOnlyList<string> Nodes)>([(cluster, links, nodes)]);
        // A removal is never dropped: a re-sent revocation changes nothing on its node, so it would not come again.
        // Waiting on a merge is bounded by the merge's reservation, following moves by MaxHops; past either it fails loudly.
        var busyUntil = DateTimeOffset.UtcNow + BusyWait;
        var hops = 0;
        while (work.TryDequeue(out var item))
        {
            var answer = await GrainFactory.Reference<IClusterGrain>(item.Cluster).ApplyAsync(new ClusterCommand([], item.Links, item.Nodes, []));
            if (answer.Busy)
            {
                // Another writer is merging into it: try again shortly (a merge takes milliseconds, its reservation 10 s at most).
                if (DateTimeOffset.UtcNow > busyUntil)
                {
                    throw new InvalidOperationException($"correlation: cluster {item.Cluster} stayed reserved by a merge for {BusyWait.TotalSeconds:0} s: {item.Links.Count} link removals did not finish");
                }
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 20)));
                work.Enqueue(item);
                continue;
            }
            if (++hops > MaxHops * 4)
            {
                throw new InvalidOperationException($"correlation: link removals kept moving between clusters ({MaxHops * 4} hops) and did not finish");
            }
            if (answer.ForwardedTo is { } to)
            {
                work.Enqueue((to, item.Links, item.Nodes));
                continue;
            }
            if (answer.Absent is not { Count: > 0 } absent)
            {
                continue;
            }
            var missing = absent.ToHashSet(StringComparer.Ordinal);
            var absentLinks = item.Links.Where(l => missing.Contains(l.EdgeKey)).ToList();
            var absentNodes = item.Nodes.Where(missing.Contains).ToList();
            var now = await ResolveAsync(await PointersAsync(absentLinks.SelectMany(l => new[] { l.SourceId, l.TargetId }).Concat(absentNodes)));
            var tombstones = new List<string>();
            foreach (var link in absentLinks)
            {
                var holder = now.GetValueOrDefault(link.SourceId) ?? now.GetValueOrDefault(link.TargetId);
                if (holder == item.Cluster)
                {
                    tombstones.Add(link.EdgeKey);
                }
                else if (holder is not null)
                {
                    work.Enqueue((holder, [link], []));
                }
            }
            foreach (var node in absentNodes)
            {
                if (now.GetValueOrDefault(node) is { } holder && holder != item.Cluster)
                {
                    work.Enqueue((holder, [], [node]));
                }
            }
            if (tombstones.Count > 0)
            {
                await ApplyWithForwardsAsync(item.Cluster, new ClusterCommand([], [], [], [], Tombstone: tombstones));
            }
        }
    }

    async Task ApplyWithForwardsAsync(string cluster, ClusterCommand command)
    {
        for (var hops = 0; hops < MaxHops; hops++)
        {
            var answer = await GrainFactory.Reference<IClusterGrain>(cluster).ApplyAsync(command);
            if (answer.ForwardedTo is not { } to)
            {
                return;
            }
            cluster = to;
        }
    }

    async Task<Dictionary<string, NodeCorrelation>> FactsAsync(IReadOnlyList<string> nodes)
    {
        var facts = new Dictionary<string, NodeCorrelation>(StringComparer.Ordinal);
        await BoundedParallel.ForEachAsync(nodes, _parallelism, async n => facts[n] = await GrainFactory.GetNode(n).GetCorrelationAsync());
        return facts;
    }

    async Task<Dictionary<string, string?>> PointersAsync(IEnumerable<string> nodes) =>
        (await FactsAsync([.. nodes.Distinct(StringComparer.Ordinal)])).ToDictionary(f => f.Key, f => f.Value.ClusterId, StringComparer.Ordinal);

    /// <summary>Follows node pointers to live clusters: a merged-away cluster forwards, and a cluster that no longer holds
    /// the node says so. A split points the nodes it cuts off at their new cluster in the same turn, before the old
    /// cluster can say "not here"; so a "not here" reached from a pointer that has changed since it was read is looked
    /// up again from the new pointer. One call per cluster per hop.</summary>
    async Task<Dictionary<string, string?>> ResolveAsync(IReadOnlyDictionary<string, string?> pointers)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        var current = new Dictionary<string, string?>(pointers, StringComparer.Ordinal);
        for (var attempt = 0; current.Count > 0 && attempt < 8; attempt++)
        {
            var notHere = new List<string>();
            foreach (var (node, cluster) in await ChaseAsync(current.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal)))
            {
                if (cluster is null)
                {
                    notHere.Add(node);
                }
                else
                {
                    result[node] = cluster;
                }
            }
            foreach (var node in current.Where(p => p.Value is null).Select(p => p.Key))
            {
                result[node] = null;
            }
            if (notHere.Count == 0)
            {
                break;
            }
            var fresh = await PointersAsync(notHere);
            current = fresh.Where(f => f.Value != current[f.Key]).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
            foreach (var node in notHere.Where(n => !current.ContainsKey(n)))
            {
                result[node] = null; // still pointed where it is not: in no cluster
            }
        }
        return result;
    }

    /// <summary>From each node's pointer to the live cluster that holds it (null: the chain ends where it is not held).</summary>
    async Task<Dictionary<string, string?>> ChaseAsync(IReadOnlyDictionary<string, string> pointers)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        var inTransit = new HashSet<string>(StringComparer.Ordinal);
        var pending = pointers.GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Select(p => p.Key).ToList(), StringComparer.Ordinal);
        for (var hops = 0; pending.Count > 0 && hops < MaxHops; hops++)
        {
            var next = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var answers = await Task.WhenAll(pending.Select(async p => (p.Key, Places: await GrainFactory.Reference<IClusterGrain>(p.Key).LocateAsync(p.Value))));
            foreach (var (cluster, places) in answers)
            {
                foreach (var (node, place) in places)
                {
                    switch (place.Kind)
                    {
                        case NodePlaceKind.Here:
                            result[node] = cluster;
                            break;
                        case NodePlaceKind.NotHere:
                            // Sealed into this cluster and not absorbed yet: it belongs here all the same.
                            result[node] = inTransit.Contains(node) ? cluster : null;
                            break;
                        default:
                            if (place.InTransit)
                            {
                                inTransit.Add(node);
                            }
                            (next.TryGetValue(place.Cluster!, out var list) ? list : next[place.Cluster!] = []).Add(node);
                            break;
                    }
                }
            }
            pending = next;
        }
        foreach (var node in pending.Values.SelectMany(x => x))
        {
            result[node] = null; // a chain too long to follow (should not happen: union by size keeps chains short)
        }
        return result;
    }

    public async Task<IReadOnlyDictionary<string, string>> GetClusterIdsAsync(IReadOnlyList<string> nodeIds)
    {
        var resolved = await ResolveAsync(await PointersAsync(nodeIds));
        return resolved.Where(x => x.Value is not null).ToDictionary(x => x.Key, x => x.Value!, StringComparer.Ordinal);
    }

    public async Task<ClusterView?> GetClusterAsync(string clusterOrNodeId, int skip, int take)
    {
        var cluster = clusterOrNodeId.StartsWith(ClusterIds.Prefix, StringComparison.Ordinal)
            ? await LiveAsync(clusterOrNodeId)
            : (await GetClusterIdsAsync([clusterOrNodeId])).GetValueOrDefault(clusterOrNodeId);
        if (cluster is null || await GrainFactory.Reference<IClusterGrain>(cluster).GetViewAsync(skip, take) is not { } view)
        {
            return null;
        }
        // Rolled up for the caller: the incidents it may see (the system: all of them).
        return view with { Severity = await Severity.SeverityRollup.OfAsync(GrainFactory, view.Incidents) };
    }

    public async Task SeverityChangedAsync(IReadOnlyList<string> incidentIds)
    {
        var clusters = await GetClusterIdsAsync(incidentIds);
        await Task.WhenAll(clusters.GroupBy(c => c.Value, StringComparer.Ordinal).Select(g =>
            GrainFactory.Reference<IClusterGrain>(g.Key).SeverityChangedAsync([.. g.Select(x => x.Key)])));
    }

    public async Task<IReadOnlyDictionary<string, string>> GetExclusionsAsync(IReadOnlyList<string> nodeIds)
    {
        var facts = await FactsAsync(nodeIds);
        return facts.Where(f => f.Value.Exclusion is not null).ToDictionary(f => f.Key, f => f.Value.Exclusion!, StringComparer.Ordinal);
    }

    public async Task<LinkSubgraph> GetLinkSubgraphAsync(string nodeId, int maxDepth, int maxNodes)
    {
        var none = new LinkSubgraph(null, [], false, null);
        var pointers = await PointersAsync([nodeId]);
        if (pointers[nodeId] is not { } pointer)
        {
            return none;
        }
        // A node's pointer almost always names its live cluster, which answers at once; one that no longer holds it
        // (merged away, or split) answers with nothing, and the pointer is then followed like any other.
        var direct = await GrainFactory.Reference<IClusterGrain>(pointer).GetLinkSubgraphAsync(nodeId, maxDepth, maxNodes);
        if (direct.ClusterId is not null)
        {
            return direct;
        }
        var cluster = (await ResolveAsync(pointers)).GetValueOrDefault(nodeId);
        return cluster is null ? none
            : await GrainFactory.Reference<IClusterGrain>(cluster).GetLinkSubgraphAsync(nodeId, maxDepth, maxNodes);
    }

    /// <summary>The live cluster a cluster id stands for, following forwards (a merged-away id).</summary>
    async Task<string?> LiveAsync(string clusterId)
    {
        for (var hops = 0; hops < MaxHops; hops++)
        {
            var grain = GrainFactory.Reference<IClusterGrain>(clusterId);
            var place = (await grain.LocateAsync([""]))[""];
            if (place.Kind != NodePlaceKind.Forwarded)
            {
                return await grain.SizeAsync() > 0 ? clusterId : null;
            }
            clusterId = place.Cluster!;
        }
        return null;
    }
}
