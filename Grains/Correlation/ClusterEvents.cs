using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Grains.Correlation;

/// <summary>
/// What one command changed in a cluster, as campaign updates (one per campaign touched, on stream
/// <c>campaign/{id}</c>) and cluster merges (on <c>cluster-merged/all</c>). This is the system's view; the gateway
/// recomputes each event against what a subscriber may see before sending it — severity included: the cluster grain
/// does not know its incidents' levels (they are the incidents' own, and a reader's rollup counts only the incidents it
/// sees), so it publishes <see cref="CampaignUpdateKind.SeverityChange"/> whenever the rollup may have moved (an incident
/// joined or left, or changed its severity) and <see cref="Severity"/> as empty; each subscriber's view fills it in.
/// Only campaigns someone watches (<paramref name="watched"/>, see <see cref="WatchedStreams"/>) get updates: a cluster
/// of thousands of campaigns would otherwise publish thousands of events for every member that joins it.
/// </summary>
public sealed class ClusterEvents(string clusterId, int size, IReadOnlyList<string> tagged, DateTimeOffset at, Func<string, bool>? watched = null)
{
    readonly Dictionary<string, Pending> _updates = new(StringComparer.Ordinal);
    readonly List<ClusterMerged> _merges = [];
    readonly Dictionary<string, (string Cluster, int Size, List<string> Campaigns)> _parts = new(StringComparer.Ordinal);
    readonly Func<string, bool> _watched = watched ?? (_ => true);
    List<string>? _campaigns;
    List<string>? _watchedCampaigns;

    List<string> Campaigns => _campaigns ??= [.. tagged.Where(IsCampaign)];

    List<string> WatchedCampaigns => _watchedCampaigns ??= [.. Campaigns.Where(_watched)];

    /// <summary>Clusters absorbed into this one (the larger), with their campaigns.</summary>
    public void Merged(IReadOnlyList<string> taggedBefore, int sizeBefore, IReadOnlyList<(string Loser, IReadOnlyList<string> Tagged, int Size)> losers)
    {
        if (sizeBefore == 0)
        {
            return; // a cluster being created (from a split part): the cluster it came from announces it
        }
        var winnerCampaigns = taggedBefore.Where(IsCampaign).ToList();
        foreach (var (loser, loserTagged, loserSize) in losers)
        {
            var loserCampaigns = loserTagged.Where(IsCampaign).ToList();
            foreach (var c in winnerCampaigns.Where(_watched))
            {
                Mark(c, CampaignUpdateKind.Merge).Merged.Add(loser);
                if (loserCampaigns.Count > 0)
                {
                    Mark(c, CampaignUpdateKind.NewLink).NewlyLinked.UnionWith(loserCampaigns);
                }
            }
            foreach (var c in loserCampaigns.Where(_watched))
            {
                Mark(c, CampaignUpdateKind.Merge).Merged.Add(loser);
                if (winnerCampaigns.Count > 0)
                {
                    Mark(c, CampaignUpdateKind.NewLink).NewlyLinked.UnionWith(winnerCampaigns);
                }
            }
            if (sizeBefore > 1 && loserSize > 1)
            {
                _merges.Add(new ClusterMerged(clusterId, loser, sizeBefore + loserSize, loserSize, [.. winnerCampaigns.Concat(loserCampaigns)], at));
            }
            winnerCampaigns.AddRange(loserCampaigns);
        }
    }

    /// <summary>Nodes that joined with this command (not through a merge).</summary>
    public void Joined(IReadOnlyList<string> nodes)
    {
        if (nodes.Count == 0)
        {
            return;
        }
        var joinedCampaigns = nodes.Where(IsCampaign).ToHashSet(StringComparer.Ordinal);
        var others = nodes.Where(n => !IsCampaign(n)).ToList();
        foreach (var c in WatchedCampaigns)
        {
            var newlyLinked = joinedCampaigns.Contains(c) ? Campaigns.Where(x => x != c).ToList() : [.. joinedCampaigns];
            if (newlyLinked.Count > 0)
            {
                Mark(c, CampaignUpdateKind.NewLink).NewlyLinked.UnionWith(newlyLinked);
            }
            if (!joinedCampaigns.Contains(c) && others.Count > 0)
            {
                Mark(c, CampaignUpdateKind.NewMember).NewMembers.UnionWith(others);
            }
        }
    }

    /// <summary>Parts cut off into clusters of their own (the larger side kept this cluster's id).</summary>
    public void Split(IReadOnlyList<(string PartId, IReadOnlyList<string> Tagged, int Size)> parts)
    {
        if (parts.Count == 0)
        {
            return;
        }
        var partCampaigns = parts.ToDictionary(p => p.PartId, p => p.Tagged.Where(IsCampaign).ToList(), StringComparer.Ordinal);
        foreach (var c in WatchedCampaigns)
        {
            Mark(c, CampaignUpdateKind.Split).Unlinked.UnionWith(partCampaigns.Values.SelectMany(x => x));
        }
        foreach (var (partId, _, partSize) in parts)
        {
            foreach (var c in partCampaigns[partId].Where(_watched))
            {
                Mark(c, CampaignUpdateKind.Split).Unlinked.UnionWith(Campaigns.Concat(partCampaigns.Where(p => p.Key != partId).SelectMany(p => p.Value)));
                _parts[c] = (partId, partSize, partCampaigns[partId]);
            }
        }
    }

    /// <summary>Campaigns left alone by a removal (no part of two or more members took them): they and the campaigns
    /// still here are unlinked from each other.</summary>
    public void Dropped(IReadOnlyList<string> campaigns)
    {
        if (campaigns.Count == 0)
        {
            return;
        }
        foreach (var c in WatchedCampaigns)
        {
            Mark(c, CampaignUpdateKind.Split).Unlinked.UnionWith(campaigns);
        }
        foreach (var c in campaigns.Where(_watched))
        {
            Mark(c, CampaignUpdateKind.Split).Unlinked.UnionWith(Campaigns);
            _parts[c] = ("", 1, [c]);
        }
    }

    /// <summary>The severity rollup of every campaign here may have moved (incidents joined, left or changed level).</summary>
    public void SeverityMayHaveChanged()
    {
        foreach (var c in WatchedCampaigns)
        {
            Mark(c, CampaignUpdateKind.SeverityChange);
        }
    }

    public IEnumerable<CampaignUpdate> CampaignUpdates()
    {
        foreach (var (campaign, p) in _updates)
        {
            var (cluster, clusterSize, linked) = _parts.TryGetValue(campaign, out var part)
                ? part : (clusterId, size, Campaigns);
            // Every list is a sample: a merge updates each campaign of both sides, and full lists would make the
            // event volume grow with the square of the campaigns (measured: gigabytes of stream cache on `small`).
            var others = linked.Where(x => x != campaign).ToHashSet(StringComparer.Ordinal);
            yield return new CampaignUpdate(campaign, [.. p.Kinds.Order()], cluster, clusterSize, Sample(others),
                Sample(p.NewlyLinked.Where(x => x != campaign && others.Contains(x))),
                Sample(p.Unlinked.Where(x => !others.Contains(x))),
                [.. p.NewMembers.Order(StringComparer.Ordinal).Take(SampleSize)],
                [.. p.Merged.Order(StringComparer.Ordinal)], "", at);
        }
    }

    public IReadOnlyList<ClusterMerged> ClusterMerges() => _merges;

    static List<string> Sample(IEnumerable<string> ids) => [.. ids.Order(StringComparer.Ordinal).Take(SampleSize)];

    /// <summary>How many ids each list of an update names at most (the first in id order).</summary>
    public const int SampleSize = 20;

    /// <summary>The incidents among tagged members (ordinal order): what the severity rollup reads.</summary>
    public static List<string> Incidents(IEnumerable<string> tagged) => [.. tagged.Where(x => CorrelationPolicy.TypeOf(x) == "incident")];

    public static bool IsCampaign(string id) => id.StartsWith("campaign--", StringComparison.Ordinal);

    Pending Mark(string campaign, CampaignUpdateKind kind)
    {
        if (!_updates.TryGetValue(campaign, out var p))
        {
            _updates[campaign] = p = new Pending();
        }
        p.Kinds.Add(kind);
        return p;
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
