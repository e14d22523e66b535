using System.Text.Json.Nodes;

namespace ThreatGraph.Enrichment.Tests;

public sealed class AliasKeyTests
{
    [Theory]
    [InlineData("APT 28", "apt28")]
    [InlineData("apt-28", "apt28")]
    [InlineData("  Fancy_Bear! ", "fancybear")]
    [InlineData("ＡＰＴ２８", "apt28")] // full-width forms, as some reports write them
    [InlineData("Лазарь", "лазарь")]
    [InlineData("--", "")]
    public void Ignores_case_spacing_and_punctuation(string name, string key) => Assert.Equal(key, AliasKey.Of(name));

    [Fact]
    public void Names_are_the_name_and_every_alias_property()
    {
        var stix = JsonNode.Parse("""{ "name": "A", "aliases": ["B"], "x_mitre_aliases": ["C"], "x_misp_synonyms": ["D", 5] }""")!.AsObject();
        Assert.Equal(["A", "B", "C", "D"], AliasKey.NamesOf(stix));
    }
}
