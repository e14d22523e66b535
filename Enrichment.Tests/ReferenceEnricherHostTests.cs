using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Enrichment.Reference;
using ThreatGraph.Enrichment.Reference.Domains;
using ThreatGraph.Enrichment.Reference.IpAsn;
using ThreatGraph.Enrichment.Runtime;
using ThreatGraph.Stix.Identifiers;
using ThreatGraph.Stix.Warninglists;
using ThreatGraph.TestSupport;

namespace ThreatGraph.Enrichment.Tests;

/// <summary>The reference enrichers the host registers (<c>AddReferenceEnrichers</c>) run through the host's writer:
/// what they derive passes its checks and lands in the graph, visible to their organisation only.</summary>
[Collection(EnrichmentCollection.Name)]
public sealed class ReferenceEnricherHostTests(EnrichmentHost host)
{
    [Fact]
    public async Task The_reference_jobs_write_through_the_host_and_their_results_stay_with_their_organisation()
    {
        var ip = Sco("ipv4-addr", "8.8.8.8");
        var host1 = Fixtures.Red(Sco("domain-name", "www.bbc.co.uk"), EnrichmentHost.JpEnrichment); // jp-nisc's, RED
        var reserved = Sco("ipv4-addr", "192.168.7.7"); // on the built-in special-purpose list
        await host.PostAcceptedAsync(DevKeys.JpAnalyst, ip, host1, reserved);
        IEnricher[] jobs = [new IpAsnEnricher(IpAsnDatabase.Shipped), new RegisteredDomainEnricher(RegisteredDomains.Shipped),
            new WarninglistEnricher(new Warninglists(BuiltinWarninglists.All()))];
        using var runtime = host.Runtime(jobs: jobs);

        await EnrichmentHost.DrainAsync(runtime);

        var rows = (await host.DataAsync("{ enrichmentJobs { name processed failed lastError } }"))["enrichmentJobs"]!.AsArray()
            .OfType<JsonObject>().ToDictionary(j => j["name"]!.GetValue<string>());
        foreach (var name in new[] { IpAsnEnricher.JobName, RegisteredDomainEnricher.JobName, WarninglistEnricher.JobName })
        {
            Assert.True(rows.ContainsKey(name), $"{name} is not in enrichmentJobs");
            Assert.True(rows[name]["processed"]!.GetValue<int>() >= 1, $"{name} processed nothing");
            Assert.Equal(0, rows[name]["failed"]!.GetValue<int>()); // the writer took everything it derived
        }
        var registered = ObservableNormalizer.CanonicalId("domain-name", "value", "bbc.co.uk")!;
        Assert.NotNull(await host.ObjectAsync(registered)); // jp-nisc reads what its job derived
        Assert.Null(await host.ObjectAsync(registered, DevKeys.UsAnalyst)); // derived from a RED object: RED, not us-cisa's to see
        CallerContext.Set(CallerIdentity.System);
        Assert.NotNull(await host.Grains.GetNode(registered).GetViewAsync());
    }

    static JsonObject Sco(string type, string value) => new()
    {
        ["type"] = type,
        ["spec_version"] = "2.1",
        ["id"] = ObservableNormalizer.CanonicalId(type, "value", value),
        ["value"] = value,
    };
}
