using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ThreatGraph.Enrichment;

/// <summary>How names and aliases are compared when deciding that two reports name the same entity: case, spacing and
/// punctuation are ignored (<c>APT 28</c>, <c>apt-28</c> and <c>APT28</c> share the key <c>apt28</c>); letters of every
/// script and digits are kept.</summary>
public static class AliasKey
{
    /// <summary>The properties whose strings name an entity: <c>name</c>, <c>aliases</c> (STIX), <c>x_mitre_aliases</c>
    /// (ATT&amp;CK software), <c>x_misp_synonyms</c> (MISP galaxy synonyms carried over).</summary>
    public static readonly IReadOnlyList<string> AliasProperties = ["aliases", "x_mitre_aliases", "x_misp_synonyms"];

    /// <summary>The key of a name; empty when it holds no letter or digit.</summary>
    public static string Of(string name)
    {
        var text = name.Normalize(NormalizationForm.FormKC);
        var key = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                key.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            }
        }
        return key.ToString();
    }

    /// <summary>Every name an object goes by (its name and aliases), as written.</summary>
    public static IEnumerable<string> NamesOf(JsonObject stix)
    {
        if (stix["name"] is JsonValue n && n.TryGetValue(out string? name))
        {
            yield return name;
        }
        foreach (var property in AliasProperties)
        {
            if (stix[property] is JsonArray aliases)
            {
                foreach (var a in aliases)
                {
                    if (a is JsonValue v && v.TryGetValue(out string? alias))
                    {
                        yield return alias;
                    }
                }
            }
        }
    }
}
