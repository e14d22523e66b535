using System.Text.Json.Nodes;
using ThreatGraph.Stix.Warninglists;
using ThreatGraph.TestSupport;
using static ThreatGraph.Enrichment.Reference.Tests.TestContext;

namespace ThreatGraph.Enrichment.Reference.Tests;

public sealed class WarninglistEnricherTests
{
    static readonly WarninglistEnricher Builtin = new(new Warninglists(BuiltinWarninglists.All()));

    [Fact]
    public async Task A_listed_value_gets_one_note_naming_the_list_and_the_entry()
    {
        var ip = Observable("ipv4-addr", "8.8.8.8");
        var objects = await EnrichAsync(Builtin, ip);

        var note = Assert.Single(objects);
        Assert.Equal("note", Str(note, "type"));
        Assert.Equal(EnrichmentIds.Derived("note", "warninglist", ip.Id), Id(note));
        Assert.Equal([ip.Id], note["object_refs"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("On warninglist builtin-public-dns-resolvers", Str(note, "abstract"));
        Assert.Equal("Known-benign value: on a warninglist of known-benign values.\n"
            + "- builtin-public-dns-resolvers (Anycast addresses of public DNS resolvers (Google, Cloudflare, Quad9, OpenDNS)): matched 8.8.8.8",
            Str(note, "content"));
        Assert.Equal(["warninglist:builtin-public-dns-resolvers"], note["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Theory]
    [InlineData("ipv6-addr", "FE80:0:0:0:0:0:0:1", "builtin-special-ipv6", "fe80::/10")] // matched in normal form
    [InlineData("domain-name", "Example.COM.", "builtin-special-domains", "example.com")]
    [InlineData("url", "http://localhost:8080/admin", "builtin-special-domains", "localhost")]
    public async Task Values_are_matched_as_the_correlation_guard_matches_them(string type, string value, string list, string entry)
    {
        var note = Assert.Single(await EnrichAsync(Builtin, Observable(type, value)));
        Assert.EndsWith($"): matched {entry}", Str(note, "content"));
        Assert.Equal([$"warninglist:{list}"], note["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public async Task The_empty_file_is_noted_by_its_hash()
    {
        var file = new JsonObject
        {
            ["type"] = "file", ["spec_version"] = "2.1", ["id"] = "file--8d0b2e1a-7b7c-5f3a-9c1e-2a4b6c8d0e1f",
            ["hashes"] = new JsonObject { ["MD5"] = "D41D8CD98F00B204E9800998ECF8427E" },
        };
        var note = Assert.Single(await EnrichAsync(Builtin, new EnrichmentInput(Id(file), "file", file)));
        Assert.Equal("On warninglist builtin-empty-file-hashes", Str(note, "abstract"));
    }

    [Theory]
    [InlineData("ipv4-addr", "93.184.215.14")]
    [InlineData("domain-name", "update-check.example.net")]
    [InlineData("url", "https://evil-bank.co.uk/login")]
    public async Task An_ordinary_value_gets_nothing(string type, string value) =>
        Assert.Empty(await EnrichAsync(Builtin, Observable(type, value)));

    [Fact]
    public async Task With_MISP_lists_every_list_the_value_is_on_is_named_once()
    {
        var (misp, skipped) = WarninglistFolder.Read(SharedData.PathOf("misp/warninglists"));
        Assert.Empty(skipped);
        var enricher = new WarninglistEnricher(new Warninglists([.. BuiltinWarninglists.All(), .. misp]));

        var note = Assert.Single(await EnrichAsync(enricher, Observable("ipv4-addr", "8.8.8.8")));
        var labels = note["labels"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.Equal("warninglist:builtin-public-dns-resolvers", labels[0]);
        Assert.Contains("warninglist:public-dns-v4", labels);
        Assert.Equal(labels.Count, labels.Distinct().Count());
        Assert.Equal(labels.Count, Str(note, "content")!.Split('\n').Length - 1);
    }
}
