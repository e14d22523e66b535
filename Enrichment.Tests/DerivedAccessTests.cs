using System.Text.Json.Nodes;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Grains.Enrichment;
using ThreatGraph.Stix.Markings;

namespace ThreatGraph.Enrichment.Tests;

/// <summary>What a job derives is never weaker than what it was derived from or points at.</summary>
public sealed class DerivedAccessTests
{
    const string Statement = "marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168";

    static NodeView View(TlpLevel tlp, string org, string member, string[] recipients, params string[] markings) =>
        new("x--1", "x", "{}", false, markings, 0, 1, new AccessDescriptor(tlp, org, member, recipients));

    [Fact]
    public void Red_in_gives_red_out_for_the_same_members()
    {
        var derived = new JsonObject { ["object_marking_refs"] = new JsonArray(Tlp.GreenId) };
        DerivedAccess.Apply(derived, [View(TlpLevel.Red, "jp-nisc", "jp-nisc/analyst1", ["jp-nisc/enrichment"], Tlp.RedId),
            View(TlpLevel.Green, "jp-nisc", "jp-nisc/analyst2", [], Statement)]);
        Assert.Equal([Statement, Tlp.RedId], derived["object_marking_refs"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(["jp-nisc/enrichment", "jp-nisc/analyst1"], derived[AccessDescriptor.RecipientsProperty]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public void Amber_keeps_the_reporting_organisation_and_a_stricter_own_marking_stays()
    {
        var derived = new JsonObject();
        DerivedAccess.Apply(derived, [View(TlpLevel.Amber, "us-cisa", "us-cisa/analyst1", ["it-isac"], Tlp.AmberId)]);
        Assert.Equal([Tlp.AmberId], derived["object_marking_refs"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(["it-isac", "us-cisa"], derived[AccessDescriptor.RecipientsProperty]!.AsArray().Select(m => m!.GetValue<string>()));

        var strict = new JsonObject { ["object_marking_refs"] = new JsonArray(Tlp.AmberStrictId) };
        DerivedAccess.Apply(strict, [View(TlpLevel.Green, "jp-nisc", "jp-nisc/analyst1", [])]);
        Assert.Equal([Tlp.AmberStrictId], strict["object_marking_refs"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public void Clear_in_gives_an_explicit_clear_marking_and_no_recipients()
    {
        var derived = new JsonObject();
        DerivedAccess.Apply(derived, [View(TlpLevel.Clear, "jp-nisc", "jp-nisc/analyst1", [])]);
        Assert.Equal([Tlp.ClearId], derived["object_marking_refs"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Null(derived[AccessDescriptor.RecipientsProperty]);
    }
}
