using System.Text.Json.Nodes;
using ThreatGraph.Enrichment.Reference.IpAsn;
using ThreatGraph.Stix.Identifiers;
using static ThreatGraph.Enrichment.Reference.Tests.TestContext;

namespace ThreatGraph.Enrichment.Reference.Tests;

public sealed class IpAsnEnricherTests
{
    static readonly IpAsnEnricher Enricher = new(IpAsnDatabase.Shipped);

    [Fact]
    public async Task An_address_belongs_to_its_AS_and_is_located_at_its_registration_country()
    {
        var ip = Observable("ipv4-addr", "8.8.8.8");
        var objects = await EnrichAsync(Enricher, ip);

        Assert.Equal(["autonomous-system", "relationship", "location", "relationship"], objects.Select(o => Str(o, "type")));
        var (system, belongsTo, location, locatedAt) = (objects[0], objects[1], objects[2], objects[3]);
        Assert.Equal(ObservableNormalizer.CanonicalId("autonomous-system", "number", "15169"), Id(system));
        Assert.Equal(15169, system["number"]!.GetValue<long>());
        Assert.Equal("Google LLC", Str(system, "name"));
        Assert.Equal(("belongs-to", ip.Id, Id(system)), (Str(belongsTo, "relationship_type"), Str(belongsTo, "source_ref"), Str(belongsTo, "target_ref")));
        Assert.StartsWith("8.8.8.8 is announced by AS15169 (", Str(belongsTo, "description"));
        Assert.Equal(("US", "US"), (Str(location, "country"), Str(location, "name")));
        Assert.Equal(("located-at", ip.Id, Id(location)), (Str(locatedAt, "relationship_type"), Str(locatedAt, "source_ref"), Str(locatedAt, "target_ref")));
        Assert.Equal("2026-11-29T12:00:00.000Z", Str(locatedAt, "created"));
    }

    [Fact]
    public async Task IPv6_in_any_spelling_gives_the_same_objects()
    {
        var compressed = await EnrichAsync(Enricher, Observable("ipv6-addr", "2606:4700:4700::1111"));
        var expanded = await Enricher.EnrichAsync(Observable("ipv6-addr", "2606:4700:4700:0000:0000:0000:0000:1111"), Instance, default);
        Assert.Equal(13335, compressed[0]["number"]!.GetValue<long>());
        Assert.Equal(compressed.Select(o => o.ToJsonString()), expanded.Objects.Select(o => o.ToJsonString()));
    }

    [Fact]
    public async Task Addresses_with_the_same_markings_share_a_country_and_others_get_their_own()
    {
        const string red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
        var clearA = await EnrichAsync(Enricher, Observable("ipv4-addr", "8.8.4.4"));
        var clearB = await EnrichAsync(Enricher, Observable("ipv4-addr", "8.8.8.8"));
        var redOne = await EnrichAsync(Enricher, Observable("ipv4-addr", "8.8.8.8", red));
        Assert.Equal(Id(clearA[2]), Id(clearB[2]));
        Assert.NotEqual(Id(clearB[2]), Id(redOne[2]));
        Assert.Equal(Id(clearB[0]), Id(redOne[0])); // the AS is one observable, whoever reports it
    }

    [Theory]
    [InlineData("ipv4-addr", "10.0.0.1")]
    [InlineData("ipv4-addr", "192.168.10.20")]
    [InlineData("ipv4-addr", "203.0.113.9")]
    [InlineData("ipv4-addr", "8.8.8.0/24")]
    [InlineData("ipv6-addr", "fd12:3456::1")]
    [InlineData("ipv6-addr", "::1")]
    [InlineData("ipv6-addr", "2001:db8::5")]
    public async Task Special_purpose_addresses_and_blocks_give_nothing(string type, string value) =>
        Assert.Empty(await EnrichAsync(Enricher, Observable(type, value)));

    [Theory]
    [InlineData("300.1.1.1")]
    [InlineData("8.8.8")]
    [InlineData("dns.google")]
    public async Task A_value_that_is_not_an_address_fails_naming_the_object(string value)
    {
        var input = Observable("ipv4-addr", value);
        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await Enricher.EnrichAsync(input, Instance, default));
        Assert.Equal($"{input.Id}: '{value}' is not an IPv4 or IPv6 address", e.Message);
    }

    [Fact]
    public async Task An_object_without_a_value_fails_naming_it()
    {
        var input = new EnrichmentInput("ipv4-addr--00000000-0000-4000-8000-000000000000", "ipv4-addr", new JsonObject { ["type"] = "ipv4-addr" });
        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await Enricher.EnrichAsync(input, Instance, default));
        Assert.Equal($"{input.Id} has no string 'value'", e.Message);
    }
}
