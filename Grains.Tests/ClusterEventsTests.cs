using System.Globalization;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Grains.Tests;

/// <summary>Events stay small when big clusters merge: each campaign's update samples its lists, so the volume of a
/// merge grows with the campaigns touched, not with their square.</summary>
public sealed class ClusterEventsTests
{
    static List<string> Campaigns(string prefix, int n) => [.. Enumerable.Range(0, n).Select(i => $"campaign--{prefix}{i:D4}")];

    [Fact]
    public void A_merge_of_two_large_clusters_names_at_most_the_sample_in_each_list_and_counts_them_all()
    {
        var winner = Campaigns("a", 300);
        var loser = Campaigns("b", 200);
        var at = DateTimeOffset.Parse("2026-11-29T00:00:00Z", CultureInfo.InvariantCulture);
        var events = new ClusterEvents("cluster--w", 1_000, [.. winner, .. loser], at);
        events.Merged(winner, 600, [("cluster--l", loser, 400)]);

        var updates = events.CampaignUpdates().ToList();

        Assert.Equal(500, updates.Count); // every campaign of both sides hears of the merge
        Assert.All(updates, u =>
        {
            Assert.Contains(CampaignUpdateKind.Merge, u.Kinds);
            Assert.Equal(1_000, u.ClusterSize);
            Assert.Equal(ClusterEvents.SampleSize, u.LinkedCampaignIds.Count);
            Assert.Equal(ClusterEvents.SampleSize, u.NewlyLinkedCampaignIds.Count);
            Assert.DoesNotContain(u.CampaignId, u.LinkedCampaignIds);
        });
        var first = updates.Single(u => u.CampaignId == winner[0]);
        Assert.Equal(loser.Take(ClusterEvents.SampleSize), first.NewlyLinkedCampaignIds); // the loser's, in id order
        Assert.Equal(winner.Skip(1).Take(ClusterEvents.SampleSize), first.LinkedCampaignIds);
        var merged = Assert.Single(events.ClusterMerges());
        Assert.Equal(500, merged.CampaignIds.Count);
    }
}
