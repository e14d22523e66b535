using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ThreatGraph.Contracts.Enrichment;
using ThreatGraph.Contracts.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Enrichment.Builtin;
using ThreatGraph.TestSupport;

namespace ThreatGraph.Enrichment.Tests;

/// <summary>A job runs only as a member of its own organisation with the enrichment role: the host refuses to start
/// otherwise, and the cluster refuses the writes and registrations of a caller who tries anyway.</summary>
[Collection(EnrichmentCollection.Name)]
public sealed class EnrichmentRefusalTests(EnrichmentHost host)
{
    static readonly CallerIdentity JpAnalystNoRole = new("jp-nisc", EnrichmentHost.JpEnrichment, "test", ["analyst", "ingest"]);
    static readonly CallerIdentity JpEnrichment = new("jp-nisc", EnrichmentHost.JpEnrichment, "test", [EnrichmentJobs.Role]);
    static readonly CallerIdentity UsEnrichment = new("us-cisa", "us-cisa/enrichment", "test", [EnrichmentJobs.Role]);

    [Fact]
    public void Host_without_the_enrichment_role_does_not_start()
    {
        var settings = EnrichmentHost.JpSettings();
        settings["Enrichment:Roles:0"] = "analyst";
        var e = Assert.Throws<OptionsValidationException>(() => host.Runtime(settings));
        Assert.Contains("Enrichment:Roles must include 'enrichment'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_without_the_enrichment_role_are_refused_and_write_nothing()
    {
        var (input, link) = await InputAndLinkAsync();
        CallerContext.Set(JpAnalystNoRole);
        var result = await Writer.WriteAsync(new EnrichmentWrite("attack-resolver", EnrichmentHost.JpIdentity, input, [link.ToJsonString()]));
        Assert.True(result.Refused);
        Assert.Equal("jp-nisc/enrichment lacks the 'enrichment' role: a job runs as an organisation member with that role", result.Error);
        await AssertAbsentAsync(link);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => host.Grains.GetGrain<IEnrichmentJobGrain>("refusal-test").RegisterAsync(
            new EnrichmentJobRegistration("refusal-test", ["attack-pattern"], "jp-nisc", EnrichmentHost.JpEnrichment)));
    }

    [Fact]
    public async Task Writing_as_another_organisation_is_refused_and_writes_nothing()
    {
        var (input, link) = await InputAndLinkAsync();
        CallerContext.Set(JpEnrichment);
        var asUs = await Writer.WriteAsync(new EnrichmentWrite("attack-resolver", EnrichmentHost.UsIdentity, input, [link.ToJsonString()]));
        Assert.True(asUs.Refused);
        Assert.Equal($"{EnrichmentHost.UsIdentity} is not an identity of jp-nisc: a job writes only as its own organisation", asUs.Error);

        // A job that names another organisation's identity in what it returns fails that object, whole.
        link["created_by_ref"] = EnrichmentHost.UsIdentity;
        var named = await Writer.WriteAsync(new EnrichmentWrite("attack-resolver", EnrichmentHost.JpIdentity, input, [link.ToJsonString()]));
        Assert.Equal($"derived object 0 names {EnrichmentHost.UsIdentity} as created_by_ref: a job writes only as its own identity ({EnrichmentHost.JpIdentity})", named.Error);
        await AssertAbsentAsync(link);

        // A host configured as a jp-nisc member writing as us-cisa's identity fails every object and writes nothing.
        var settings = EnrichmentHost.JpSettings();
        settings["Enrichment:IdentityId"] = EnrichmentHost.UsIdentity;
        settings["Enrichment:MaxAttempts"] = "1";
        using var runtime = host.Runtime(settings, new AttackResolver());
        await EnrichmentHost.DrainAsync(runtime);
        await AssertAbsentAsync(link);
        var status = await host.Grains.GetGrain<IEnrichmentJobGrain>(AttackResolver.JobName).GetStatusAsync();
        Assert.Contains($"{EnrichmentHost.UsIdentity} is not an identity of jp-nisc", status!.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_organisation_cannot_take_over_a_job_or_record_its_progress()
    {
        CallerContext.Set(JpEnrichment);
        var job = host.Grains.GetGrain<IEnrichmentJobGrain>("takeover-test");
        await job.RegisterAsync(new EnrichmentJobRegistration("takeover-test", ["malware"], "jp-nisc", EnrichmentHost.JpEnrichment));
        CallerContext.Set(UsEnrichment);
        var taken = await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            job.RegisterAsync(new EnrichmentJobRegistration("takeover-test", ["malware"], "us-cisa", "us-cisa/enrichment")));
        Assert.Equal("the job 'takeover-test' belongs to jp-nisc", taken.Message);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            job.RecordAsync(new EnrichmentProgress(DateTimeOffset.UtcNow, 5, 0, new EnrichmentCheckpoint([99]), 0, [], null)));
        Assert.Equal(0, (await job.GetStatusAsync())!.Processed);
        Assert.Empty((await job.GetCheckpointAsync()).AfterSeq);
    }

    IEnrichmentWriterGrain Writer => host.Grains.GetGrain<IEnrichmentWriterGrain>(0);

    /// <summary>A GREEN object of jp-nisc that names an ATT&amp;CK technique, and the link a job would derive from it.</summary>
    async Task<(string Input, JsonObject Link)> InputAndLinkAsync()
    {
        var attack = Fixtures.AttackTechnique("T9102", "Valid accounts");
        var input = StixBuilder.Sdo("attack-pattern", name: "Initial access [T9102]");
        await host.PostAcceptedAsync(DevKeys.JpAnalyst, attack, input);
        var link = StixBuilder.Relationship(Fixtures.Id(input), "related-to", Fixtures.Id(attack),
            EnrichmentIds.Relationship(AttackResolver.JobName, "related-to", Fixtures.Id(input), Fixtures.Id(attack)));
        return (Fixtures.Id(input), link);
    }

    async Task AssertAbsentAsync(JsonObject link)
    {
        CallerContext.Set(CallerIdentity.System);
        Assert.Null(await host.Grains.GetNode(Fixtures.Id(link)).GetViewAsync());
    }
}
