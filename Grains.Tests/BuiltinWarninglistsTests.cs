using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using ThreatGraph.Grains.Correlation;
using ThreatGraph.Stix.Warninglists;
using ThreatGraph.Contracts;
using ThreatGraph.Contracts.Correlation;

namespace ThreatGraph.Grains.Tests;

/// <summary>The guard is on with nothing configured: the lists that ship with the service match what the registries
/// reserve, and nothing else.</summary>
public sealed class BuiltinWarninglistsTests
{
    static readonly Warninglists Builtin = WarninglistLoader.Load(null, builtin: true, NullLogger.Instance);

    static string? Match(string type, string value) => Builtin.Match(new JsonObject { ["type"] = type, ["value"] = value });

    [Theory]
    [InlineData("ipv4-addr", "10.20.30.40", "builtin-special-ipv4")]
    [InlineData("ipv4-addr", "192.168.1.1", "builtin-special-ipv4")]
    [InlineData("ipv4-addr", "203.0.113.7", "builtin-special-ipv4")]
    [InlineData("ipv4-addr", "100.64.0.1", "builtin-special-ipv4")]
    [InlineData("ipv4-addr", "8.8.8.8", "builtin-public-dns-resolvers")]
    [InlineData("ipv6-addr", "2001:db8::1", "builtin-special-ipv6")]
    [InlineData("ipv6-addr", "fe80::1", "builtin-special-ipv6")]
    [InlineData("ipv6-addr", "2606:4700:4700::1111", "builtin-public-dns-resolvers")]
    [InlineData("domain-name", "example.com", "builtin-special-domains")]
    [InlineData("domain-name", "home.arpa", "builtin-special-domains")]
    [InlineData("url", "http://localhost:8080/admin", "builtin-special-domains")]
    public void Reserved_values_match_their_list(string type, string value, string list) =>
        Assert.StartsWith($"warninglist {list} (", Match(type, value));

    [Theory]
    [InlineData("ipv4-addr", "93.184.215.14")]
    [InlineData("ipv4-addr", "8.8.8.9")]
    [InlineData("ipv6-addr", "2a00:1450:4001::1")]
    [InlineData("domain-name", "example-attack.net")]
    [InlineData("domain-name", "notexample.com")]
    [InlineData("domain-name", "update-check.example.net")] // as MISP's rfc6761 list: the reserved names, not their sub-domains
    [InlineData("url", "https://evil.test-phish.org/login")]
    public void Ordinary_values_do_not(string type, string value) => Assert.Null(Match(type, value));

    [Fact]
    public void The_empty_file_is_known_benign_by_any_of_its_hashes()
    {
        var file = new JsonObject
        {
            ["type"] = "file",
            ["hashes"] = new JsonObject { ["SHA-256"] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        };
        Assert.StartsWith("warninglist builtin-empty-file-hashes (", Builtin.Match(file));
        file["hashes"] = new JsonObject { ["SHA-256"] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b856" };
        Assert.Null(Builtin.Match(file));
    }

    [Fact]
    public void Turned_off_with_no_folder_nothing_is_loaded_and_a_folder_adds_to_the_builtin_lists()
    {
        Assert.Empty(WarninglistLoader.Load(null, builtin: false, NullLogger.Instance).Lists);
        var folder = ThreatGraph.TestSupport.SharedData.PathOf("misp/warninglists");
        var misp = Directory.GetFiles(folder, "list.json", SearchOption.AllDirectories).Length;
        var both = WarninglistLoader.Load(folder, builtin: true, NullLogger.Instance);
        Assert.Equal(5, Builtin.Lists.Count);
        Assert.Equal(Builtin.Lists.Count + misp, both.Lists.Count);
        Assert.Equal(Builtin.Lists.Select(l => l.Key), both.Lists.Take(5).Select(l => l.Key));
    }
}
