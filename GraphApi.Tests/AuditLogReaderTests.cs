using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts.Audit;
using ThreatGraph.Contracts.Security;
using ThreatGraph.GraphApi.Audit;
using ThreatGraph.GraphApi.Federation;

namespace ThreatGraph.GraphApi.Tests;

/// <summary>The audit log split by hour and organisation (README "Audit"): an auditor's read opens its organisation's
/// grains, the platform's when federation pulls for it, and the one-per-hour grains of earlier builds — never another
/// organisation's — and answers the newest <c>first</c> records in time order.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuditLogReaderTests(ApiFactory api)
{
    [Fact]
    public async Task An_auditor_reads_its_organisations_grains_the_platforms_pulls_for_it_and_earlier_builds_hourly_grains_in_time_order()
    {
        var grains = api.Services.GetRequiredService<IGrainFactory>();
        var hour = new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(Random.Shared.Next(100_000));
        AuditRecord At(int minute, string org, string key, string op) => new(hour.AddMinutes(minute), org, org + "/x", key, op, false, [], "ok");
        var jp = new[] { At(1, "jp-nisc", "jp-analyst", "jp 1"), At(30, "jp-nisc", "jp-analyst", "jp 30") };
        var platform = new[] { At(10, CallerIdentity.SystemOrg, "federation:jp-peer", "pull for jp 10"), At(11, CallerIdentity.SystemOrg, "federation:other", "pull for us 11") };
        var us = new[] { At(5, "us-cisa", "us-analyst", "us 5") };
        var legacy = new[] { At(20, "jp-nisc", "jp-analyst", "jp 20 (earlier build)"), At(21, "us-cisa", "us-analyst", "us 21 (earlier build)") };
        await grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.KeyOf(hour, "jp-nisc")).AppendAsync(jp);
        await grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.KeyOf(hour, CallerIdentity.SystemOrg)).AppendAsync(platform);
        await grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.KeyOf(hour, "us-cisa")).AppendAsync(us);
        await grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.LegacyKeyOf(hour)).AppendAsync(legacy);
        await grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.KeyOf(hour.AddHours(1), "jp-nisc")).AppendAsync([At(70, "jp-nisc", "jp-analyst", "jp 70")]);

        var peers = new FederationOptions { Peers = [new FederationPeerOptions { Name = "jp-peer", ReceivingOrg = "jp-nisc" }, new FederationPeerOptions { Name = "other", ReceivingOrg = "us-cisa" }] };
        var auditor = AuditScope.For(new CallerIdentity("jp-nisc", "jp-nisc/auditor1", "jp-auditor", ["auditor"]), peers);
        var all = await AuditLogReader.ReadAsync(grains, auditor, hour, hour.AddHours(2), 1000);
        Assert.Equal(["jp 1", "pull for jp 10", "jp 20 (earlier build)", "jp 30", "jp 70"], all.Select(r => r.Operation));
        Assert.All(all, r => Assert.Equal("jp-nisc", r.Org));

        var newest = await AuditLogReader.ReadAsync(grains, auditor, hour, hour.AddHours(2), 2);
        Assert.Equal(["jp 30", "jp 70"], newest.Select(r => r.Operation));
        var window = await AuditLogReader.ReadAsync(grains, auditor, hour.AddMinutes(2), hour.AddMinutes(25), 1000);
        Assert.Equal(["pull for jp 10", "jp 20 (earlier build)"], window.Select(r => r.Operation));

        // Without a peer pulling for it, the platform's grain is not even read.
        var alone = AuditScope.For(new CallerIdentity("jp-nisc", "jp-nisc/auditor1", "jp-auditor", ["auditor"]), new FederationOptions());
        Assert.False(alone.ReadsPlatformRecords);
        Assert.Equal(["jp 1", "jp 20 (earlier build)", "jp 30"], (await AuditLogReader.ReadAsync(grains, alone, hour, hour.AddMinutes(59), 1000)).Select(r => r.Operation));
    }
}
