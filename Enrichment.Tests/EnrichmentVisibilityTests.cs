using System.Text.Json.Nodes;
using ThreatGraph.Enrichment.Builtin;
using ThreatGraph.Stix.Markings;
using ThreatGraph.TestSupport;

namespace ThreatGraph.Enrichment.Tests;

/// <summary>An enrichment of a TLP:RED object is TLP:RED for the same readers: jp-nisc's RED technique, enriched by
/// jp-nisc's enrichment member (a named recipient), gives a link that its reporter sees and us-cisa (the hostile second
/// organisation here) never meets: not by id, in a neighbourhood, a search, a count or a relationship list.</summary>
[Collection(EnrichmentCollection.Name)]
public sealed class EnrichmentVisibilityTests(EnrichmentHost host)
{
    const string Us = DevKeys.UsAnalyst;

    [Fact]
    public async Task Link_derived_from_a_red_object_is_red_and_invisible_to_another_organisation()
    {
        var attack = Fixtures.AttackTechnique("T9101", "Remote services");
        var red = Fixtures.Red(StixBuilder.Sdo("attack-pattern", name: "Lateral movement [T9101] across the plant"), EnrichmentHost.JpEnrichment);
        await host.PostAcceptedAsync(DevKeys.JpAnalyst, attack, red);
        var before = await UsViewAsync(Fixtures.Id(attack));

        using var runtime = host.Runtime(jobs: new AttackResolver());
        await EnrichmentHost.DrainAsync(runtime);

        var link = EnrichmentIds.Relationship(AttackResolver.JobName, "related-to", Fixtures.Id(red), Fixtures.Id(attack));
        var seen = await host.ObjectAsync(link);
        var stix = JsonNode.Parse(seen!["stix"]!.GetValue<string>())!.AsObject();
        Assert.Equal([Tlp.RedId], stix["object_marking_refs"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(["jp-nisc/enrichment", "jp-nisc/analyst1"], stix["x_threatgraph_recipients"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(EnrichmentHost.JpIdentity, stix["created_by_ref"]!.GetValue<string>());
        var provenance = (await host.DataAsync($"{{ object(id: \"{link}\") {{ provenance {{ tlp organisation }} }} }}"))["object"]!["provenance"]!;
        Assert.Equal("red", provenance["tlp"]!.GetValue<string>());
        Assert.Equal("jp-nisc", provenance["organisation"]!.GetValue<string>());

        // RED is for named people: another jp-nisc analyst does not see it either.
        Assert.Null(await host.ObjectAsync(link, DevKeys.JpAnalyst2));
        Assert.Null(await host.ObjectAsync(link, Us));
        Assert.Equal(before, await UsViewAsync(Fixtures.Id(attack)));
        var search = await host.DataAsync($"{{ a: search(text: \"{link}\") {{ totalCount }} b: search(text: \"T9101\") {{ edges {{ node {{ id }} }} }} }}", apiKey: Us);
        Assert.Equal(0, search["a"]!["totalCount"]!.GetValue<int>());
        Assert.Equal([Fixtures.Id(attack)], search["b"]!["edges"]!.AsArray().Select(e => e!["node"]!["id"]!.GetValue<string>()));
    }

    /// <summary>What us-cisa sees around the ATT&amp;CK object: its relationships, its neighbourhood, and the counts.</summary>
    async Task<string> UsViewAsync(string attackId)
    {
        var data = await host.DataAsync($$"""
            { object(id: "{{attackId}}") { relationships { totalCount edges { node { id } } } }
              neighborhood(id: "{{attackId}}", depth: 2) { nodes { object { id } } edges { sourceId targetId kind } }
              typeCounts { type count }
              search(types: ["relationship"]) { totalCount } }
            """, apiKey: Us);
        return data.ToJsonString();
    }
}
