using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using ThreatGraph.Enrichment.Builtin;
using ThreatGraph.Enrichment.Hosting;
using ThreatGraph.TestSupport;

namespace ThreatGraph.Enrichment.Tests;

/// <summary>The enrichment host as it runs in production: a separate Orleans client of the cluster (over the silo's
/// gateway port). Stopped and started again, it resumes from its checkpoint: what it did before is not done again, and
/// what arrived while it was away is done once.</summary>
[Collection(EnrichmentCollection.Name)]
public sealed class EnrichmentHostProcessTests(EnrichmentHost host)
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Host_restarted_resumes_from_its_checkpoint_without_duplicates()
    {
        var attack = Fixtures.AttackTechnique("T9104", "Data from information repositories");
        var first = StixBuilder.Sdo("attack-pattern", name: "Collection [T9104]");
        using (var caughtUp = host.Runtime(jobs: new AttackResolver()))
        {
            await EnrichmentHost.DrainAsync(caughtUp); // what earlier tests left on the feed: not this test's to count
        }
        var processed = await ProcessedAsync();

        using (var enrichment = await StartAsync())
        {
            await host.PostAcceptedAsync(DevKeys.JpAnalyst, attack, first);
            await WaitForAsync(() => LinkedAsync(first, attack), "the running host linked the first object");
            await WaitForAsync(async () => await ProcessedAsync() == processed + 2, "the running host counted both objects");
            await enrichment.StopAsync();
        }

        var second = StixBuilder.Sdo("attack-pattern", name: "Collection again [T9104]");
        await host.PostAcceptedAsync(DevKeys.JpAnalyst, second);
        Assert.False(await LinkedAsync(second, attack));

        using (var enrichment = await StartAsync())
        {
            await WaitForAsync(() => LinkedAsync(second, attack), "the restarted host linked what arrived while it was stopped");
            await WaitForAsync(async () => (await JobAsync())!["lag"]!.GetValue<int>() == 0, "the restarted host caught up");
            await enrichment.StopAsync();
        }
        Assert.Equal(processed + 3, await ProcessedAsync());
        Assert.Equal(2, (await host.DataAsync($"{{ object(id: \"{Fixtures.Id(attack)}\") {{ relationships(direction: IN) {{ totalCount }} }} }}"))
            ["object"]!["relationships"]!["totalCount"]!.GetValue<int>());
    }

    /// <summary>The host's own builder and configuration keys, as <c>dotnet run --project Enrichment</c> takes them.</summary>
    async Task<IHost> StartAsync()
    {
        string[] args =
        [
            $"--Orleans:GatewayPort={host.GatewayPort}", $"--Orleans:ClusterId={host.ClusterId}",
            .. EnrichmentHost.JpSettings().Select(s => $"--{s.Key}={s.Value}"),
            $"--Enrichment:Jobs:0={AttackResolver.JobName}",
        ];
        var builder = EnrichmentHostBuilder.Create(args);
        builder.AddThreatGraphEnrichmentHost();
        var enrichment = builder.Build();
        await enrichment.StartAsync();
        return enrichment;
    }

    async Task<bool> LinkedAsync(JsonObject source, JsonObject attack) =>
        await host.ObjectAsync(EnrichmentIds.Relationship(AttackResolver.JobName, "related-to", Fixtures.Id(source), Fixtures.Id(attack))) is not null;

    async Task<int> ProcessedAsync() => (await JobAsync())?["processed"]!.GetValue<int>() ?? 0;

    async Task<JsonObject?> JobAsync() =>
        (await host.DataAsync("{ enrichmentJobs { name processed lag } }"))["enrichmentJobs"]!.AsArray()
            .SingleOrDefault(j => j!["name"]!.GetValue<string>() == AttackResolver.JobName) as JsonObject;

    static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"not within {Deadline.TotalSeconds} s: {what}");
            await Task.Delay(100);
        }
    }
}
