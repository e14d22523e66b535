using System.Text.Json.Nodes;
using ThreatGraph.Enrichment.Builtin;

namespace ThreatGraph.Enrichment.Tests;

public sealed class AttackIdsTests
{
    [Fact]
    public void Finds_ids_in_external_references_names_and_descriptions_with_where()
    {
        var stix = JsonNode.Parse("""
            { "name": "Exfiltration [T1041.001] and [TA0011]",
              "description": "Used S0154 (Cobalt Strike) like G0032; t0885 and XT0885 and T08851 are not ids.",
              "external_references": [ { "source_name": "mitre-attack", "external_id": "T1041" }, { "source_name": "cve", "external_id": "CVE-2021-44228" } ] }
            """)!.AsObject();
        var named = AttackIds.Named(stix).ToDictionary(n => n.Id, n => n.Evidence);
        Assert.Equal(["T1041", "T1041.001", "TA0011", "S0154", "G0032"], named.Keys);
        Assert.Equal("external_references: mitre-attack T1041", named["T1041"]);
        Assert.Equal("name: \"Exfiltration [T1041.001] and [TA0011]\"", named["T1041.001"]);
        Assert.StartsWith("description: \"Used S0154 (Cobalt Strike)", named["S0154"], StringComparison.Ordinal);
    }

    [Fact]
    public void Attack_objects_are_those_with_an_attack_reference_and_x_mitre_properties()
    {
        var attack = Fixtures.AttackTechnique("T0885", "Commonly Used Port");
        Assert.True(AttackIds.IsAttackObject(attack));
        Assert.True(AttackIds.IsAttackObject(attack, "T0885"));
        Assert.False(AttackIds.IsAttackObject(attack, "T0886"));
        attack.Remove("x_mitre_version"); // a report citing ATT&CK in its references is not ATT&CK's own object
        Assert.False(AttackIds.IsAttackObject(attack));
    }
}
