using ThreatGraph.Contracts.Security;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.GraphApi.Subscriptions;

/// <summary>
/// Cuts correlation events down to what one subscriber may see. The cluster grain publishes the system's view; here
/// each event is recomputed against the subscriber's own view of the cluster (only visible links, see
/// <see cref="ICorrelationQueryGrain.ClusterAsync"/>), so a link through an invisible bridge is never announced and
/// counts never include invisible members. Events that change nothing visible are dropped.
/// </summary>
public sealed class VisibleEvents(IGrainFactory grains, SharedClusterViews views, CallerIdentity caller, int maxNodes)
{
    HashSet<string> _linked = [];
    HashSet<string> _members = [];
    string _severity = "NONE";

    public async Task<object?> CampaignUpdateAsync(object? item, string campaignId)
    {
        if (item is not CampaignUpdate update)
        {
            return item;
        }
        var eventKey = $"{update.At.UtcTicks}|{update.ClusterId}|{string.Join(',', update.Kinds)}";
        var view = await views.ForAsync(caller, campaignId, eventKey, maxNodes);
        var members = view?.Members.ToHashSet(StringComparer.Ordinal) ?? [campaignId];
        var linked = (view?.Campaigns ?? []).Where(c => c != campaignId).ToHashSet(StringComparer.Ordinal);
        var severity = view?.Severity ?? "NONE";

        var kinds = new List<CampaignUpdateKind>();
        var newly = linked.Except(_linked).Order(StringComparer.Ordinal).ToList();
        var unlinked = _linked.Except(linked).Order(StringComparer.Ordinal).ToList();
        var newMembers = members.Except(_members).Where(m => m != campaignId).Order(StringComparer.Ordinal).ToList();
        if (update.Kinds.Contains(CampaignUpdateKind.Subscribed))
        {
            kinds.Add(CampaignUpdateKind.Subscribed);
            (newly, unlinked, newMembers) = ([], [], []);
        }
        else
        {
            if (newMembers.Count > 0) kinds.Add(CampaignUpdateKind.NewMember);
            if (newly.Count > 0) kinds.Add(CampaignUpdateKind.NewLink);
            if (newly.Count > 0 && update.Kinds.Contains(CampaignUpdateKind.Merge)) kinds.Add(CampaignUpdateKind.Merge);
            if (unlinked.Count > 0) kinds.Add(CampaignUpdateKind.Split);
            if (severity != _severity) kinds.Add(CampaignUpdateKind.SeverityChange);
        }
        (_linked, _members, _severity) = (linked, members, severity);
        if (kinds.Count == 0)
        {
            return null;
        }
        return update with
        {
            Kinds = kinds, ClusterId = view?.Id ?? ClusterIds.ViewId([campaignId]), ClusterSize = members.Count,
            LinkedCampaignIds = [.. linked.Order(StringComparer.Ordinal)], NewlyLinkedCampaignIds = newly,
            UnlinkedCampaignIds = unlinked, NewMemberIds = newMembers, MergedClusterIds = [], Severity = severity,
        };
    }

    public async Task<object?> ClusterMergedAsync(object? item)
    {
        if (item is not ClusterMerged merged)
        {
            return item;
        }
        CallerContext.Set(caller);
        foreach (var campaign in merged.CampaignIds)
        {
            var view = await grains.GetGrain<ICorrelationQueryGrain>(0).ClusterAsync(campaign, maxNodes);
            var visible = view?.Campaigns.Intersect(merged.CampaignIds, StringComparer.Ordinal).ToList() ?? [];
            if (visible.Count >= 2)
            {
                // Ids, sizes and campaigns are the subscriber's view; the merged-away side as the system saw it is not theirs to know.
                return merged with { WinnerId = view!.Id, LoserId = null, CampaignIds = visible, Size = view.Size, LoserSize = 0 };
            }
        }
        return null;
    }
}
