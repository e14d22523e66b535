using MyTeam.Enrichment;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.TestSupport;

namespace ThreatGraph.Enrichment.Tests;

/// <summary>The README's example job is this project's <c>ExpiryNoteEnricher.cs</c>, and it works.</summary>
[Collection(EnrichmentCollection.Name)]
public sealed class ReadmeExampleTests(EnrichmentHost host)
{
    [Fact]
    public void Readme_shows_the_example_job_as_it_is_compiled()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md")).ReplaceLineEndings("\n");
        var example = File.ReadAllText(Path.Combine(RepoRoot.Path, "Enrichment.Tests", "ExpiryNoteEnricher.cs")).ReplaceLineEndings("\n");
        Assert.Contains("```csharp\n" + example + "```", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Example_job_notes_an_indicator_without_expiry_as_the_enrichment_member()
    {
        var indicator = StixBuilder.Sdo("indicator", name: "beacon");
        indicator["pattern"] = "[ipv4-addr:value = '198.51.100.7']";
        indicator["pattern_type"] = "stix";
        indicator["valid_from"] = "2024-01-01T00:00:00.000Z";
        await host.PostAcceptedAsync(DevKeys.JpAnalyst, indicator);
        using var runtime = host.Runtime(jobs: new ExpiryNoteEnricher());
        await EnrichmentHost.DrainAsync(runtime);

        CallerContext.Set(CallerIdentity.System);
        var note = await host.Grains.GetNode(EnrichmentIds.Derived("note", "expiry-note", Fixtures.Id(indicator))).GetViewAsync();
        Assert.Equal("jp-nisc/enrichment", note!.Access!.OwnerMember);
        Assert.Contains(EnrichmentHost.JpIdentity, note.Json, StringComparison.Ordinal);
    }
}
