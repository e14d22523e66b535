using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Enrichment.Builtin;
using ThreatGraph.Enrichment.Runtime;
using ThreatGraph.TestSupport;
using Xunit.Abstractions;

namespace ThreatGraph.Enrichment.Tests;

/// <summary>
/// Issue 14's done-when: ATT&amp;CK for ICS and an advisory that names its techniques only as <c>[T0885]</c> in names (own
/// ids, no external references) stay apart until the built-in jobs run; then they are linked, as the enrichment member,
/// and a second run adds nothing. Also measures the built-in jobs' throughput on the bundle (printed, not asserted).
/// </summary>
public sealed class IcsEnrichmentTests(IcsEnrichmentTests.Host host, ITestOutputHelper output) : IClassFixture<IcsEnrichmentTests.Host>
{
    public sealed class Host : EnrichmentHost;

    const string T0885 = "attack-pattern--e6c31185-8040-4267-83d3-b217b8a92f07";
    const string T0869 = "attack-pattern--e076cca8-2f08-45c9-aff7-ea5ac798b387";
    const string SandwormTeam = "intrusion-set--381fcf73-60f6-4ab2-9991-6af3cbc35192";
    const string Ukraine2015 = "campaign--46421788-b6e1-4256-b351-f8beffd1afba";

    [Fact]
    public async Task Advisory_techniques_and_group_meet_attack_for_ics_after_enrichment_and_a_rerun_adds_nothing()
    {
        var (_, ics) = await host.PostBundleAsync(SharedData.Bytes("mitre-attack/ics-attack-18.1.json"));
        Assert.Equal(0, ics["totals"]!["rejected"]!.GetValue<int>());
        var advisory = Advisory.Create();
        await host.PostAcceptedAsync(DevKeys.UsAnalyst, advisory.Objects);
        Assert.Equal(0, await RelatedToCountAsync(T0885));

        using var runtime = host.Runtime();
        var clock = Stopwatch.StartNew();
        await EnrichmentHost.DrainAsync(runtime);
        output.WriteLine($"change feed, both built-in jobs: {clock.Elapsed.TotalSeconds:F1} s for the ICS bundle and the advisory");

        // The technique named "[T0885]" and the report that names it in its description, and nothing of ATT&CK's own.
        var link = await host.ObjectAsync(EnrichmentIds.Relationship(AttackResolver.JobName, "related-to", advisory.CommonlyUsedPort, T0885), DevKeys.UsAnalyst);
        var stix = JsonNode.Parse(link!["stix"]!.GetValue<string>())!.AsObject();
        Assert.Equal(EnrichmentHost.JpIdentity, stix["created_by_ref"]!.GetValue<string>());
        Assert.Equal("ATT&CK T0885 named in name: \"Command and Control / Commonly Used Port [T0885] (ICS)\"", stix["description"]!.GetValue<string>());
        Assert.Equal(AttackResolver.JobName, stix["x_threatgraph_enrichment_job"]!.GetValue<string>());
        Assert.Equal(2, await RelatedToCountAsync(T0885));
        Assert.NotNull(await host.ObjectAsync(EnrichmentIds.Relationship(AttackResolver.JobName, "related-to", advisory.ApplicationProtocol, T0869), DevKeys.UsAnalyst));
        Assert.NotNull(await host.ObjectAsync(EnrichmentIds.Relationship(AttackResolver.JobName, "related-to", advisory.Report, T0885), DevKeys.UsAnalyst));

        // search(text: "T0885") returns the advisory's technique (its name) and ATT&CK's (its external id).
        var found = (await host.DataAsync("{ search(text: \"T0885\", first: 50) { edges { node { id } } } }", apiKey: DevKeys.UsAnalyst))["search"]!["edges"]!
            .AsArray().Select(e => e!["node"]!["id"]!.GetValue<string>()).ToList();
        Assert.Contains(advisory.CommonlyUsedPort, found);
        Assert.Contains(T0885, found);

        // The neighbourhood of the advisory's campaign reaches ATT&CK's 2015 Ukraine campaign through the technique.
        var near = (await host.DataAsync($"{{ neighborhood(id: \"{advisory.Campaign}\", depth: 3, edgeTypes: [\"uses\", \"related-to\"]) {{ nodes {{ distance object {{ id }} }} }} }}",
            apiKey: DevKeys.UsAnalyst))["neighborhood"]!["nodes"]!.AsArray();
        Assert.Contains(near, n => n!["object"]!["id"]!.GetValue<string>() == T0885 && n["distance"]!.GetValue<int>() == 2);
        Assert.Contains(near, n => n!["object"]!["id"]!.GetValue<string>() == Ukraine2015 && n["distance"]!.GetValue<int>() == 3);

        // The group reported as "SANDWORM team" (alias "Voodoo-Bear") is ATT&CK's Sandworm Team: linked, never merged, and
        // through it the advisory's campaign is linked to the campaigns attributed to Sandworm Team.
        var same = await host.ObjectAsync(EnrichmentIds.Relationship(AliasReconciliation.JobName, "related-to",
            Lower(advisory.Group, SandwormTeam), Higher(advisory.Group, SandwormTeam)), DevKeys.UsAnalyst);
        var evidence = JsonNode.Parse(same!["stix"]!.GetValue<string>())!["description"]!.GetValue<string>();
        Assert.StartsWith("same entity: alias ", evidence, StringComparison.Ordinal);
        Assert.Contains("\"SANDWORM team\"", evidence, StringComparison.Ordinal);
        Assert.Contains("\"Voodoo-Bear\"", evidence, StringComparison.Ordinal);
        Assert.Contains("\"Voodoo Bear\"", evidence, StringComparison.Ordinal);
        Assert.NotNull(await host.ObjectAsync(advisory.Group, DevKeys.UsAnalyst));
        await AssertLinkedAsync(advisory.Campaign, Ukraine2015);

        // Running both jobs over everything again writes nothing new.
        var before = await RelationshipCountAsync();
        foreach (var job in runtime.GetRequiredService<EnrichmentJobSet>().All)
        {
            var done = await runtime.GetRequiredService<Backfill>().RunAsync(job, null, default);
            output.WriteLine($"{job.Name}: {done.Done} objects of its types in {done.Elapsed.TotalSeconds:F1} s = {done.PerSecond:F0} objects/s ({done.Processed} enriched, {done.Failed} failed)");
            Assert.Equal(0, done.Failed);
        }
        Assert.Equal(before, await RelationshipCountAsync());
        Assert.Equal(2, await RelatedToCountAsync(T0885));
    }

    async Task<int> RelatedToCountAsync(string id) =>
        (await host.DataAsync($"{{ object(id: \"{id}\") {{ relationships(direction: IN, types: [\"related-to\"]) {{ totalCount }} }} }}"))
            ["object"]!["relationships"]!["totalCount"]!.GetValue<int>();

    async Task<int> RelationshipCountAsync() =>
        (await host.DataAsync("{ typeCounts { type count } }"))["typeCounts"]!.AsArray()
            .Single(t => t!["type"]!.GetValue<string>() == "relationship")!["count"]!.GetValue<int>();

    /// <summary>Correlation follows the ingest that wrote the link: polled with a deadline.</summary>
    async Task AssertLinkedAsync(string campaign, string other)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonNode? links = null;
        while (DateTime.UtcNow < deadline)
        {
            links = (await host.DataAsync($"{{ linkedCampaigns(campaignId: \"{campaign}\") {{ links {{ campaignId }} }} }}", apiKey: DevKeys.UsAnalyst))["linkedCampaigns"]!["links"];
            if (links!.AsArray().Any(l => l!["campaignId"]!.GetValue<string>() == other))
            {
                return;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"{campaign} was not linked to {other} within 20 s; links: {links?.ToJsonString()}");
    }

    static string Lower(string a, string b) => string.CompareOrdinal(a, b) < 0 ? a : b;
    static string Higher(string a, string b) => string.CompareOrdinal(a, b) < 0 ? b : a;

    /// <summary>A government advisory as they are written: techniques named "[Txxxx]" in names, one by external reference to
    /// ICS's T0869, a group under another spelling, with ids of its own.</summary>
    sealed record Advisory(JsonObject[] Objects, string CommonlyUsedPort, string ApplicationProtocol, string Campaign, string Group, string Report)
    {
        public static Advisory Create()
        {
            var port = StixBuilder.Sdo("attack-pattern", name: "Command and Control / Commonly Used Port [T0885] (ICS)");
            var protocol = StixBuilder.Sdo("attack-pattern", name: "Application layer protocol");
            protocol["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "mitre-attack", ["external_id"] = "T0869" });
            var campaign = StixBuilder.Sdo("campaign", name: "Operation Quiet Grid");
            var group = StixBuilder.Sdo("intrusion-set", name: "SANDWORM team");
            group["aliases"] = new JsonArray("Voodoo-Bear");
            var ids = new[] { port, protocol, campaign, group }.Select(o => o["id"]!.GetValue<string>()).ToArray();
            var uses = StixBuilder.Relationship(ids[2], "uses", ids[0]);
            var attributed = StixBuilder.Relationship(ids[2], "attributed-to", ids[3]);
            var report = StixBuilder.Sdo("report", name: "Advisory: grid intrusions");
            report["published"] = "2024-01-01T00:00:00.000Z";
            report["description"] = "The actor reached its C2 over ports commonly used (ATT&CK for ICS T0885).";
            report["object_refs"] = new JsonArray([.. ids.Select(id => (JsonNode)JsonValue.Create(id))]);
            return new Advisory([port, protocol, campaign, group, uses, attributed, report], ids[0], ids[1], ids[2], ids[3], report["id"]!.GetValue<string>());
        }
    }
}
