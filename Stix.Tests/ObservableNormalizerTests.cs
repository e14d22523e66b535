using System.Text.Json.Nodes;
using ThreatGraph.Stix.Identifiers;

namespace ThreatGraph.Stix.Tests;

public class ObservableNormalizerTests
{
    [Theory]
    [InlineData("domain-name", "Update-Check.Example.NET.", "update-check.example.net")]
    [InlineData("ipv6-addr", "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1")]
    [InlineData("ipv6-addr", "2001:db8:0:0::/64", "2001:db8::/64")]
    [InlineData("ipv6-addr", "2001:db8::1/128", "2001:db8::1")]
    [InlineData("ipv4-addr", " 203.0.113.5 ", "203.0.113.5")]
    [InlineData("ipv4-addr", "1.2", "1.2")]
    [InlineData("url", "HTTP://Evil.Example.COM./Path/A?Q=B", "http://evil.example.com/Path/A?Q=B")]
    [InlineData("url", "https://User@HOST.test:8443/X", "https://User@host.test:8443/X")]
    [InlineData("email-addr", "Alice@Example.COM", "Alice@example.com")]
    [InlineData("mac-addr", "00-1A-2B-3C-4D-5E", "00:1a:2b:3c:4d:5e")]
    [InlineData("url", "not a url", "not a url")]
    public void Normalises_values(string type, string value, string expected) =>
        Assert.Equal(expected, ObservableNormalizer.NormalizeValue(type, value));

    [Fact]
    public void Differently_written_values_share_the_canonical_id_which_is_the_spec_id_of_the_normal_form()
    {
        var a = ObservableNormalizer.CanonicalId("domain-name", "value", "EXAMPLE.org.");
        var b = ObservableNormalizer.CanonicalId(new JsonObject { ["type"] = "domain-name", ["id"] = "domain-name--" + Guid.NewGuid(), ["value"] = "example.org" });
        Assert.Equal(a, b);
        Assert.Equal(ScoId.Compute(new JsonObject { ["type"] = "domain-name", ["value"] = "example.org" }), a);
        Assert.Equal(ScoId.Compute(new JsonObject { ["type"] = "file", ["hashes"] = new JsonObject { ["MD5"] = "d41d8cd98f00b204e9800998ecf8427e" } }),
            ObservableNormalizer.CanonicalId(new JsonObject { ["type"] = "file", ["hashes"] = new JsonObject { ["MD5"] = "D41D8CD98F00B204E9800998ECF8427E" } }));
    }
}
