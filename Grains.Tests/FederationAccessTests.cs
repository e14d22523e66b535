using System.Globalization;
using System.Text.Json.Nodes;
using ThreatGraph.Grains.Ingest;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Grains.Nodes;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix.Markings;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Ingest;
using ThreatGraph.Contracts.Nodes;

namespace ThreatGraph.Grains.Tests;

/// <summary>What may leave a deployment for a peer (the export rule of <see cref="AccessPolicy"/>), and how objects from
/// a peer enter: only federation (a system caller) sets an origin, and the origin decides who owns the object here.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FederationAccessTests(ClusterFixture fixture)
{
    static readonly AccessPolicy Policy = new(ClusterFixture.Community);
    static readonly CallerIdentity UsPeer = new("us-cisa", "us-cisa/federation", "us-federation", [CallerIdentity.FederationRole]);

    [Theory]
    [InlineData(TlpLevel.Clear, new string[0], true)]
    [InlineData(TlpLevel.Green, new string[0], true)]
    [InlineData(TlpLevel.Amber, new[] { "us-cisa" }, true)]
    [InlineData(TlpLevel.Amber, new string[0], false)]
    [InlineData(TlpLevel.Amber, new[] { "it-isac" }, false)] // AMBER's "and its clients" does not make a peer a recipient
    [InlineData(TlpLevel.AmberStrict, new[] { "us-cisa" }, false)]
    [InlineData(TlpLevel.Red, new[] { "us-cisa/federation", "us-cisa" }, false)]
    public void A_peer_gets_clear_green_and_amber_naming_it_never_strict_or_red(TlpLevel tlp, string[] recipients, bool exported)
    {
        var access = new AccessDescriptor(tlp, "jp-nisc", "jp-nisc/analyst1", recipients);
        Assert.Equal(exported, Policy.CanSee(UsPeer, access));
        // The same organisation's analysts see AMBER+STRICT and RED when named: the export rule is stricter.
        var analyst = new CallerIdentity("us-cisa", "us-cisa/federation", "us-analyst", ["analyst"]);
        if (tlp is TlpLevel.AmberStrict or TlpLevel.Red)
        {
            Assert.True(Policy.CanSee(analyst, access));
        }
    }

    [Fact]
    public void A_share_scoped_peer_key_gets_only_what_the_named_organisations_reported()
    {
        var scoped = UsPeer with { Roles = [CallerIdentity.FederationRole, CallerIdentity.SharePrefix + "jp-nisc"] };
        Assert.True(Policy.CanSee(scoped, new AccessDescriptor(TlpLevel.Green, "jp-nisc", "jp-nisc/a", [])));
        Assert.False(Policy.CanSee(scoped, new AccessDescriptor(TlpLevel.Green, "it-isac", "it-isac/a", [])));
        Assert.False(Policy.CanSee(scoped, new AccessDescriptor(TlpLevel.Clear, "it-isac", "it-isac/a", [])));
    }

    [Fact]
    public async Task Only_federation_sets_an_origin_and_nobody_sends_provenance_as_content()
    {
        var indicator = Stix.Sdo("campaign", name: "from a peer");
        var origin = new ObjectOrigin("jp", "jp-nisc", TlpLevel.Green, DateTimeOffset.Parse("2026-01-02T03:04:05Z", CultureInfo.InvariantCulture));
        var asAnalyst = await fixture.Grains.GetGrain<IIngestGrain>(0)
            .IngestAsync(new IngestRequest(null, [new IngestEntry(0, "$.objects[0]", indicator.ToJsonString(), origin)]));
        Assert.Equal(UpsertOutcome.Rejected, asAnalyst.Objects[0].Outcome);
        Assert.Contains("only federation", asAnalyst.Objects[0].Errors[0].Message);

        var forged = Stix.Sdo("campaign", name: "forged");
        forged[ObjectOrigin.Property] = new JsonObject { ["deployment"] = "jp" };
        var sent = await fixture.Grains.GetGrain<IIngestGrain>(0).IngestAsync(Stix.Request(forged));
        Assert.Equal(UpsertOutcome.Rejected, sent.Objects[0].Outcome);
        Assert.Equal($"$.objects[0].{ObjectOrigin.Property}", sent.Objects[0].Errors[0].Path);
    }

    [Fact]
    public async Task An_object_from_a_peer_is_owned_by_its_reporting_organisation_and_keeps_its_provenance()
    {
        var grains = fixture.Grains;
        var campaign = Stix.Sdo("campaign", name: "Operation Peer");
        var id = campaign["id"]!.GetValue<string>();
        var reported = DateTimeOffset.Parse("2026-01-02T03:04:05Z", CultureInfo.InvariantCulture);
        var report = await CallerContext.AsSystemAsync(() => grains.GetGrain<IIngestGrain>(0).IngestAsync(new IngestRequest(null,
            [new IngestEntry(0, "$.objects[0]", campaign.ToJsonString(), new ObjectOrigin("jp", "us-cisa", TlpLevel.AmberStrict, reported))])));
        Assert.Equal(UpsertOutcome.Created, report.Objects[0].Outcome);

        // Unmarked: the origin's TLP applies (AMBER+STRICT of us-cisa), so the JP analyst here does not see it.
        Assert.Null(await grains.GetNode(id).GetViewAsync());
        CallerContext.Set(new CallerIdentity("us-cisa", "us-cisa/analyst1", "us-analyst", ["analyst"]));
        var view = await grains.GetNode(id).GetViewAsync();
        Assert.NotNull(view);
        Assert.Equal("jp", view.Access!.Deployment);
        Assert.Equal("us-cisa", view.Access.OwnerOrg);
        Assert.Equal(reported, view.Access.ReportedAt);
        Assert.NotNull(view.FirstSeen);
    }
}
