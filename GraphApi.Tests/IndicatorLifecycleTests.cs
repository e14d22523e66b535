using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using ThreatGraph.Contracts;
using ThreatGraph.Grains.Lifecycle;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;
using K = ThreatGraph.TestSupport.DevKeys;
using ThreatGraph.Contracts.Lifecycle;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>
/// Indicator lifecycle through the real host on a fake lifecycle clock (days pass in milliseconds, no sleeps): an indicator
/// decays, its schedule bucket's reminder unlinks it and the campaigns it linked split (SPLIT to subscribers); a new
/// sighting revives it and re-links them (NEW_LINK). A sighting by an organisation that may not see the indicator
/// revives nothing. Expiry by valid_until, search(activeOnly), and bad lifecycle data rejected with its path.
/// </summary>
public sealed class IndicatorLifecycleTests(IndicatorLifecycleTests.Host host) : IClassFixture<IndicatorLifecycleTests.Host>
{
    public sealed class Host : ApiFactory
    {
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<LifecycleClock>();
                services.AddSingleton(new LifecycleClock(Clock));
            });
        }

        /// <summary>What the schedule bucket's reminder does when it fires, called as Orleans calls it.</summary>
        public async Task FireScheduleAsync(string indicatorId, DateTimeOffset due)
        {
            var key = LifecycleSchedule.KeyOf(indicatorId, due, new LifecycleOptions());
            var grains = Services.GetRequiredService<IGrainFactory>();
            var entries = await grains.GetGrain<ILifecycleScheduleGrain>(key).EntriesAsync();
            Assert.True(entries.ContainsKey(indicatorId), $"{indicatorId} is not scheduled in bucket {key}");
            // The bucket's reminder is registered with the silo's reminder service (what would call it in production).
            var rows = await Services.GetRequiredService<IReminderTable>().ReadRows(grains.GetGrain<ILifecycleScheduleGrain>(key).GetGrainId());
            Assert.Equal(LifecycleScheduleGrain.ReminderName, Assert.Single(rows.Reminders).ReminderName);
            await grains.GetGrain<ILifecycleScheduleGrain>(key).AsReference<IRemindable>().ReceiveReminder(LifecycleScheduleGrain.ReminderName, default);
        }
    }

    static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    static JsonObject Marked(JsonObject o, string tlp)
    {
        o["object_marking_refs"] = new JsonArray(tlp);
        return o;
    }

    static JsonObject Indicator(string domain, string tlp, string validFrom = "2025-12-01T00:00:00Z")
    {
        var o = Marked(StixBuilder.Sdo("indicator", name: "lifecycle " + domain), tlp);
        o["pattern"] = $"[domain-name:value = '{domain}']";
        o["pattern_type"] = "stix";
        o["valid_from"] = validFrom;
        return o;
    }

    static JsonObject Sighting(string of, string tlp)
    {
        var o = Marked(StixBuilder.Sdo("sighting"), tlp);
        o["sighting_of_ref"] = of;
        return o;
    }

    const string IndicatorQuery = "query($id: ID!) { object(id: $id) { ... on Indicator { score decayedAt revivedAt active inactiveReason validUntil } } }";

    async Task<JsonNode> LifecycleOfAsync(string id, string apiKey = K.UsAnalyst) =>
        (await host.DataAsync(IndicatorQuery, new { id }, apiKey))["object"]!;

    [Fact]
    public async Task A_decayed_indicator_unlinks_its_campaigns_and_a_sighting_revives_the_link()
    {
        var domain = $"decay-{Guid.NewGuid():N}.test";
        var a = Marked(StixBuilder.Sdo("campaign", name: "lifecycle A"), Tlp.GreenId);
        var b = Marked(StixBuilder.Sdo("campaign", name: "lifecycle B"), Tlp.GreenId);
        var keeper = Indicator(domain, Tlp.GreenId);
        // AMBER: us-cisa's own; a 10-day lifetime, linear: it decays below 20 (of 100) after 8 days.
        var fading = Indicator(domain, Tlp.AmberId);
        fading["x_threatgraph_decay"] = new JsonObject { ["lifetime_days"] = 10, ["speed"] = 1 };
        await host.PostAcceptedAsync(K.UsAnalyst, a, b, keeper, fading,
            Marked(StixBuilder.Relationship(Id(keeper), "indicates", Id(a)), Tlp.GreenId),
            Marked(StixBuilder.Relationship(Id(fading), "indicates", Id(b)), Tlp.AmberId));

        await using var socket = await HostSockets.ConnectAckedAsync(host, K.UsAnalyst);
        await socket.SubscribeAsync("a", $$"""subscription { campaignUpdated(campaignId: "{{Id(a)}}") { kinds linkedCampaignIds unlinkedCampaignIds newlyLinkedCampaignIds } }""");
        var subscribed = await socket.NextAsync("a", "campaignUpdated", d => Kinds(d).Contains("SUBSCRIBED"));
        Assert.Contains(Id(b), Ids(subscribed, "linkedCampaignIds"));

        var fresh = await LifecycleOfAsync(Id(fading));
        Assert.Equal(100, fresh["score"]!.GetValue<double>());
        Assert.True(fresh["active"]!.GetValue<bool>());
        var decayedAt = DateTimeOffset.Parse(fresh["decayedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(host.Clock.GetUtcNow().AddDays(8), decayedAt);

        // Halfway through its life (5 of 10 days): score 50.
        host.Clock.Advance(TimeSpan.FromDays(5));
        Assert.Equal(50, (await LifecycleOfAsync(Id(fading)))["score"]!.GetValue<double>());

        // Past decayedAt, the bucket's reminder fires: the indicator stops counting, A and B split.
        host.Clock.Advance(TimeSpan.FromDays(4));
        await host.FireScheduleAsync(Id(fading), decayedAt);
        var split = await socket.NextAsync("a", "campaignUpdated", d => Kinds(d).Contains("SPLIT"));
        Assert.Contains(Id(b), Ids(split, "unlinkedCampaignIds"));
        var decayed = await LifecycleOfAsync(Id(fading));
        Assert.False(decayed["active"]!.GetValue<bool>());
        Assert.StartsWith("decayed", decayed["inactiveReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(10, decayed["score"]!.GetValue<double>()); // 100 · (1 − 9/10)
        var active = await host.DataAsync("query($t: String!) { search(types: [\"indicator\"], text: $t, activeOnly: true) { totalCount edges { node { id } } } all: search(types: [\"indicator\"], text: $t) { totalCount } }",
            new { t = domain }, K.UsAnalyst);
        Assert.Equal(1, active["search"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(Id(keeper), active["search"]!["edges"]![0]!["node"]!["id"]!.GetValue<string>());
        Assert.Equal(2, active["all"]!["totalCount"]!.GetValue<int>());

        // jp-nisc may not see the AMBER indicator: its sighting of it revives nothing.
        await host.PostAcceptedAsync(K.JpAnalyst, Sighting(Id(fading), Tlp.GreenId));
        Assert.False((await LifecycleOfAsync(Id(fading)))["active"]!.GetValue<bool>());
        var stillApart = await host.DataAsync("query($id: ID!) { cluster(id: $id) { campaigns { id } } }", new { id = Id(a) }, K.UsAnalyst);
        Assert.DoesNotContain(Id(b), stillApart.ToJsonString());

        // us-cisa sights it: revived (age starts again), re-linked, and the subscriber hears of the link.
        await host.PostAcceptedAsync(K.UsAnalyst, Sighting(Id(fading), Tlp.AmberId));
        var revived = await LifecycleOfAsync(Id(fading));
        Assert.True(revived["active"]!.GetValue<bool>());
        Assert.Equal(100, revived["score"]!.GetValue<double>());
        var relinked = await socket.NextAsync("a", "campaignUpdated", d => Kinds(d).Contains("NEW_LINK"));
        Assert.Contains(Id(b), Ids(relinked, "newlyLinkedCampaignIds"));

        // The revival rescheduled it: 8 days from now it is due again.
        var nextDue = DateTimeOffset.Parse(revived["decayedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(host.Clock.GetUtcNow().AddDays(8), nextDue);
        var scheduled = await host.Services.GetRequiredService<IGrainFactory>()
            .GetGrain<ILifecycleScheduleGrain>(LifecycleSchedule.KeyOf(Id(fading), nextDue, new LifecycleOptions())).EntriesAsync();
        Assert.Equal(nextDue, scheduled[Id(fading)]);
    }

    [Fact]
    public async Task A_sighting_hidden_from_some_of_the_indicators_readers_revives_nothing()
    {
        var shared = Indicator($"hidden-sighting-{Guid.NewGuid():N}.test", Tlp.GreenId);
        shared["x_threatgraph_decay"] = new JsonObject { ["lifetime_days"] = 10, ["speed"] = 1 };
        await host.PostAcceptedAsync(K.UsAnalyst, shared);
        host.Clock.Advance(TimeSpan.FromDays(9));
        var before = await LifecycleOfAsync(Id(shared), K.JpAnalyst);
        Assert.False(before["active"]!.GetValue<bool>());

        // A RED sighting by us-cisa/analyst1: jp-nisc reads the indicator, so reviving it would tell jp-nisc of the sighting.
        await host.PostAcceptedAsync(K.UsAnalyst, Sighting(Id(shared), Tlp.RedId));
        Assert.Equal(before.ToJsonString(), (await LifecycleOfAsync(Id(shared), K.JpAnalyst)).ToJsonString());

        // A GREEN sighting may be seen by every reader of the indicator: it revives it.
        await host.PostAcceptedAsync(K.UsAnalyst, Sighting(Id(shared), Tlp.GreenId));
        var after = await LifecycleOfAsync(Id(shared), K.JpAnalyst);
        Assert.True(after["active"]!.GetValue<bool>());
        Assert.Equal(100, after["score"]!.GetValue<double>());
    }

    [Fact]
    public async Task An_indicator_expires_at_valid_until()
    {
        var expiring = Indicator($"expire-{Guid.NewGuid():N}.test", Tlp.GreenId, validFrom: "2025-12-31T00:00:00Z");
        expiring["valid_until"] = "2026-01-03T00:00:00Z";
        await host.PostAcceptedAsync(K.UsAnalyst, expiring);
        host.Clock.Advance(TimeSpan.FromDays(3));
        var expired = await LifecycleOfAsync(Id(expiring), K.IsacAnalyst);
        Assert.False(expired["active"]!.GetValue<bool>());
        Assert.Equal(0, expired["score"]!.GetValue<double>());
        Assert.Equal("expired: valid_until 2026-01-03T00:00:00Z has passed", expired["inactiveReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Contradictory_lifecycle_data_is_rejected_with_its_path()
    {
        var backwards = Indicator($"bad-{Guid.NewGuid():N}.test", Tlp.GreenId, validFrom: "2026-01-02T00:00:00Z");
        backwards["valid_until"] = "2026-01-01T00:00:00Z";
        var zero = Indicator($"bad-{Guid.NewGuid():N}.test", Tlp.GreenId);
        zero["x_threatgraph_decay"] = new JsonObject { ["lifetime_days"] = 0 };
        var (_, body) = await host.PostBundleAsync(ApiFactory.Bundle(backwards, zero), apiKey: K.UsAnalyst);
        var results = body["objects"]!.AsArray();
        Assert.All(results, r => Assert.Equal("rejected", r!["outcome"]!.GetValue<string>()));
        Assert.Equal("$.objects[0].valid_until", results[0]!["errors"]![0]!["path"]!.GetValue<string>());
        Assert.Equal("$.objects[1].x_threatgraph_decay.lifetime_days", results[1]!["errors"]![0]!["path"]!.GetValue<string>());
        Assert.Null((await host.DataAsync("query($id: ID!) { object(id: $id) { id } }", new { id = Id(zero) }, K.UsAnalyst))["object"]);
    }

    static List<string> Kinds(JsonElement update) => [.. update.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()!)];

    static List<string> Ids(JsonElement update, string property) => [.. update.GetProperty(property).EnumerateArray().Select(k => k.GetString()!)];
}
