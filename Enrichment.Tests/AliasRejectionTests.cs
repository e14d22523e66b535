using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Enrichment.Builtin;
using ThreatGraph.GraphApi.Audit;
using ThreatGraph.TestSupport;

namespace ThreatGraph.Enrichment.Tests;

/// <summary>Alias reconciliation links two organisations' reports of one group, never merging them; an analyst of the
/// job's organisation rejects a wrong match (audited), it is revoked, and running the job again does not bring it back.</summary>
[Collection(EnrichmentCollection.Name)]
public sealed class AliasRejectionTests(EnrichmentHost host)
{
    [Fact]
    public async Task Match_is_linked_with_evidence_and_a_rejection_is_revoked_audited_and_kept()
    {
        var jp = StixBuilder.Sdo("intrusion-set", name: "Cobalt Lynx");
        var us = StixBuilder.Sdo("intrusion-set", name: "Harbor Crane");
        us["aliases"] = new JsonArray("COBALT-LYNX", "cobalt lynx");
        var unrelated = StixBuilder.Sdo("malware", name: "Cobalt Lynx"); // malware is never the same entity as a group
        unrelated["is_family"] = true;
        await host.PostAcceptedAsync(DevKeys.JpAnalyst, jp, unrelated);
        await host.PostAcceptedAsync(DevKeys.UsAnalyst, us);
        using var runtime = host.Runtime(jobs: new AliasReconciliation());
        await EnrichmentHost.DrainAsync(runtime);

        var (a, b) = string.CompareOrdinal(Fixtures.Id(jp), Fixtures.Id(us)) < 0 ? (jp, us) : (us, jp);
        var link = EnrichmentIds.Relationship(AliasReconciliation.JobName, "related-to", Fixtures.Id(a), Fixtures.Id(b));
        var stix = JsonNode.Parse((await host.ObjectAsync(link, DevKeys.UsAnalyst))!["stix"]!.GetValue<string>())!;
        var pairs = a == jp ? "\"Cobalt Lynx\" = \"COBALT-LYNX\", \"Cobalt Lynx\" = \"cobalt lynx\"" : "\"COBALT-LYNX\" = \"Cobalt Lynx\", \"cobalt lynx\" = \"Cobalt Lynx\"";
        Assert.Equal("same entity: alias " + pairs, stix["description"]!.GetValue<string>());
        Assert.NotNull(await host.ObjectAsync(Fixtures.Id(jp)));
        Assert.NotNull(await host.ObjectAsync(Fixtures.Id(us), DevKeys.UsAnalyst));
        Assert.Equal(0, (await host.DataAsync($"{{ object(id: \"{Fixtures.Id(unrelated)}\") {{ relationships {{ totalCount }} }} }}"))
            ["object"]!["relationships"]!["totalCount"]!.GetValue<int>());

        // Only the job's organisation may reject what it derived, and only with a reason.
        var foreign = await host.GraphQLAsync($"mutation {{ rejectEnrichment(id: \"{link}\", reason: \"not them\") }}", apiKey: DevKeys.UsAnalyst);
        Assert.Equal("NOT_FOUND", foreign["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        var blank = await host.GraphQLAsync($"mutation {{ rejectEnrichment(id: \"{link}\", reason: \"  \") }}");
        Assert.Equal("reason: say why, in 1 to 1000 characters", blank["errors"]![0]!["message"]!.GetValue<string>());
        var human = await host.GraphQLAsync($"mutation {{ rejectEnrichment(id: \"{Fixtures.Id(jp)}\", reason: \"x\") }}");
        Assert.Equal($"{Fixtures.Id(jp)} was not derived by an enrichment job", human["errors"]![0]!["message"]!.GetValue<string>());
        Assert.NotNull(await host.ObjectAsync(link));

        var rejected = await host.DataAsync($"mutation {{ rejectEnrichment(id: \"{link}\", reason: \"Harbor Crane only borrowed the name\") }}");
        Assert.Equal(link, rejected["rejectEnrichment"]!.GetValue<string>());
        await AssertRevokedAsync(link);

        // Running the job again, from the feed and over everything, does not bring the match back.
        // A version of the group newer than the rejection: without the rejection, its match would be a newer version too.
        var renamed = StixBuilder.Sdo("intrusion-set", id: Fixtures.Id(us), modified: "2030-01-01T00:00:00.000Z", name: "Harbor Crane");
        renamed["aliases"] = new JsonArray("Cobalt Lynx");
        await host.PostAcceptedAsync(DevKeys.UsAnalyst, renamed);
        await EnrichmentHost.DrainAsync(runtime);
        var done = await runtime.GetRequiredService<Runtime.Backfill>().RunAsync(new AliasReconciliation(), null, default);
        Assert.Equal(0, done.Failed);
        await AssertRevokedAsync(link);

        await host.Services.GetRequiredService<AuditTrail>().FlushAsync();
        var audit = await host.DataAsync($"{{ auditLog(from: \"{DateTimeOffset.UtcNow.AddMinutes(-10):O}\") {{ member operation objects }} }}", apiKey: DevKeys.JpAuditor);
        Assert.Contains(audit["auditLog"]!.AsArray(), r => r!["operation"]!.GetValue<string>() == "enrichment rejected (alias-reconciliation): Harbor Crane only borrowed the name"
            && r["member"]!.GetValue<string>() == "jp-nisc/analyst1" && r["objects"]![0]!.GetValue<string>() == link);
    }

    async Task AssertRevokedAsync(string link)
    {
        Assert.Null(await host.ObjectAsync(link, DevKeys.UsAnalyst));
        Assert.True((await host.ObjectAsync(link, DevKeys.UsAnalyst, includeRevoked: true))!["revoked"]!.GetValue<bool>());
    }
}
