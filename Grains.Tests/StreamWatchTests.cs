using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ThreatGraph.Contracts.Correlation;
using ThreatGraph.Grains.Correlation;

namespace ThreatGraph.Grains.Tests;

/// <summary>Cluster grains publish only the campaign streams someone watches; the watch set fails towards publishing.</summary>
[Collection(ClusterCollection.Name)]
public sealed class StreamWatchTests(ClusterFixture fixture)
{
    static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-29T00:00:00Z", CultureInfo.InvariantCulture);

    [Fact]
    public void A_member_joining_a_cluster_updates_only_the_watched_campaigns()
    {
        string[] campaigns = ["campaign--a", "campaign--b", "campaign--c"];
        var events = new ClusterEvents("cluster--x", 10, [.. campaigns, "indicator--i"], At, c => c == "campaign--b");
        events.Joined(["indicator--i"]);

        var update = Assert.Single(events.CampaignUpdates());
        Assert.Equal("campaign--b", update.CampaignId);
        Assert.Contains(CampaignUpdateKind.NewMember, update.Kinds);
        Assert.Equal(["campaign--a", "campaign--c"], update.LinkedCampaignIds); // the content is the whole cluster's
    }

    [Fact]
    public void A_split_and_a_merge_update_only_the_watched_campaigns_on_either_side()
    {
        var events = new ClusterEvents("cluster--w", 10, ["campaign--a", "campaign--b"], At, c => c == "campaign--z");
        events.Merged(["campaign--a"], 5, [("cluster--l", ["campaign--z", "campaign--y"], 5)]);
        events.Split([("cluster--p", ["campaign--b"], 2)]);

        var updates = events.CampaignUpdates().ToList();
        Assert.Equal(["campaign--z"], updates.Select(u => u.CampaignId));
        Assert.Contains(CampaignUpdateKind.Merge, updates[0].Kinds);
        Assert.Single(events.ClusterMerges()); // merges are filtered where they are published, by their own watch
    }

    [Fact]
    public async Task A_silo_publishes_everything_until_it_has_a_complete_and_fresh_watch_set()
    {
        var time = new FakeTimeProvider(At);
        var watched = new WatchedStreams(fixture.Grains, time, NullLogger<WatchedStreams>.Instance);
        Assert.True(watched.Publishes("campaign--a")); // nothing heard yet
        Assert.True(watched.PublishesClusterMerges);

        await watched.ChangedAsync(new WatchSet(["campaign--a"], false, Complete: false));
        Assert.True(watched.Publishes("campaign--b")); // the directory may not know every holder yet

        await watched.ChangedAsync(new WatchSet(["campaign--a"], false, Complete: true));
        Assert.True(watched.Publishes("campaign--a"));
        Assert.False(watched.Publishes("campaign--b"));
        Assert.False(watched.PublishesClusterMerges);

        time.Advance(WatchLease.ObserverDuration + TimeSpan.FromSeconds(1)); // not heard from the directory for a lease
        Assert.True(watched.Publishes("campaign--b"));
    }

    [Fact]
    public async Task The_directory_holds_the_union_of_every_holders_watches_counted_per_stream()
    {
        var id = Guid.NewGuid().ToString("N");
        string a = $"campaign--a{id}", b = $"campaign--b{id}";
        await using var gateway1 = new StreamWatches(fixture.Grains);
        await using var gateway2 = new StreamWatches(fixture.Grains);
        var directory = fixture.Grains.GetGrain<IWatchDirectoryGrain>(0);
        var observer = new RecordingObserver();
        var me = Reference(observer);

        var first = await gateway1.WatchCampaignAsync(a);
        var second = await gateway1.WatchCampaignAsync(a); // a second subscriber of the same campaign
        var other = await gateway2.WatchCampaignAsync(b);
        var merges = await gateway2.WatchClusterMergesAsync();
        var set = await directory.SubscribeAsync(me);
        Assert.Contains(a, set.Campaigns);
        Assert.Contains(b, set.Campaigns);
        Assert.True(set.ClusterMerges);

        first.Dispose();
        other.Dispose();
        merges.Dispose();
        // Releases are pushed in the background; the observer hears the new union.
        var after = await observer.WaitForAsync(s => !s.Campaigns.Contains(b) && !s.ClusterMerges);
        Assert.Contains(a, after.Campaigns); // still one subscriber of a
        second.Dispose();
        await observer.WaitForAsync(s => !s.Campaigns.Contains(a));
    }

    [Fact]
    public async Task A_watch_is_in_force_on_the_silo_once_it_is_registered()
    {
        var id = Guid.NewGuid().ToString("N");
        string watchedId = $"campaign--w{id}", unwatchedId = $"campaign--u{id}";
        var silo = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<WatchedStreams>();
        await using var gateway = new StreamWatches(fixture.Grains);

        using var watch = await gateway.WatchCampaignAsync(watchedId);

        Assert.True(silo.Publishes(watchedId)); // SetAsync returned after the silo took the new set
        // Only until the silo's first subscription to the directory (at start-up) is done.
        await Poll.UntilAsync(() => !silo.Publishes(unwatchedId), TimeSpan.FromSeconds(10),
            "the silo never received a complete watch set: it would publish every campaign");
        Assert.True(silo.Publishes(watchedId));
    }

    [Fact]
    public async Task A_directory_collected_while_idle_hands_its_watches_and_silos_over_to_the_next_activation()
    {
        var id = Guid.NewGuid().ToString("N");
        string before = $"campaign--b{id}", after = $"campaign--a{id}", unwatchedId = $"campaign--u{id}";
        var silo = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<WatchedStreams>();
        await using var gateway = new StreamWatches(fixture.Grains);
        using var first = await gateway.WatchCampaignAsync(before);
        await Poll.UntilAsync(() => !silo.Publishes(unwatchedId), TimeSpan.FromSeconds(10), "the silo never received a complete watch set");

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero); // the directory goes too

        var set = await fixture.Grains.GetGrain<IWatchDirectoryGrain>(0).SubscribeAsync(Reference(new RecordingObserver()));
        Assert.True(set.Complete, "the next activation lost the hand-over: it would make every silo publish everything for a minute");
        Assert.Contains(before, set.Campaigns);
        using var second = await gateway.WatchCampaignAsync(after);
        Assert.True(silo.Publishes(after)); // the silo's observer was handed over too: the new watch reached it at once
        Assert.True(silo.Publishes(before));
        Assert.False(silo.Publishes(unwatchedId));
    }

    [Fact]
    public async Task A_silo_that_does_not_take_a_new_set_holds_subscribes_up_only_once_and_briefly()
    {
        var id = Guid.NewGuid().ToString("N");
        string first = $"campaign--f{id}", second = $"campaign--s{id}";
        var directory = fixture.Grains.GetGrain<IWatchDirectoryGrain>(0);
        var stuck = new StuckObserver();
        var live = new RecordingObserver();
        await directory.SubscribeAsync(Reference(stuck));
        await directory.SubscribeAsync(Reference(live));
        await using var gateway = new StreamWatches(fixture.Grains);

        // Orleans' response timeout alone would hold this (and every other gateway's subscribe) up for all of it.
        var bound = TimeSpan.FromSeconds(ClusterFixture.ResponseTimeoutSeconds) - TimeSpan.FromSeconds(5);
        Assert.True(bound > WatchLease.ObserverPushTimeout);
        using var one = await gateway.WatchCampaignAsync(first).WaitAsync(bound);
        Assert.Equal(1, stuck.Calls);
        Assert.Contains(first, (await live.WaitForAsync(s => s.Campaigns.Contains(first))).Campaigns);

        using var two = await gateway.WatchCampaignAsync(second);
        Assert.Equal(1, stuck.Calls); // dropped until it subscribes again
        await live.WaitForAsync(s => s.Campaigns.Contains(second));
    }

    // The directory calls an observer until its lease runs out, and Orleans drops calls to a collected one without an
    // answer; so the observers these tests subscribe live as long as the cluster.
    static readonly List<IWatchSetObserver> Subscribed = [];

    IWatchSetObserver Reference(IWatchSetObserver observer)
    {
        lock (Subscribed)
        {
            Subscribed.Add(observer);
        }
        return fixture.Grains.CreateObjectReference<IWatchSetObserver>(observer);
    }

    sealed class StuckObserver : IWatchSetObserver
    {
        int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task ChangedAsync(WatchSet watches)
        {
            Interlocked.Increment(ref _calls);
            return new TaskCompletionSource().Task; // a silo that never answers
        }
    }

    sealed class RecordingObserver : IWatchSetObserver
    {
        readonly List<WatchSet> _seen = [];

        public Task ChangedAsync(WatchSet watches)
        {
            lock (_seen)
            {
                _seen.Add(watches);
            }
            return Task.CompletedTask;
        }

        public async Task<WatchSet> WaitForAsync(Func<WatchSet, bool> condition) =>
            (await Poll.ForAsync(() =>
                {
                    lock (_seen)
                    {
                        return Task.FromResult(_seen.LastOrDefault(condition));
                    }
                },
                hit => hit is not null, TimeSpan.FromSeconds(10),
                _ => $"the directory never sent the expected set; last seen: {LastSeen()}"))!;

        string LastSeen()
        {
            lock (_seen)
            {
                return _seen.Count == 0 ? "nothing" : string.Join(", ", _seen[^1].Campaigns);
            }
        }
    }
}
