using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ThreatGraph.Enrichment.Builtin;

/// <summary>
/// ATT&amp;CK ids and where an object names them. Ids: techniques <c>T0885</c> and sub-techniques <c>T1041.001</c>,
/// tactics <c>TA0011</c>, groups <c>G0032</c>, software <c>S0154</c> (upper case, as ATT&amp;CK writes them). ATT&amp;CK's own
/// objects are those with an external reference of an ATT&amp;CK source and <c>x_mitre_</c> properties, which every
/// object of the ATT&amp;CK bundles carries and reports citing ATT&amp;CK do not.
/// </summary>
public static partial class AttackIds
{
    /// <summary>The <c>source_name</c>s of ATT&amp;CK's external references (Enterprise, ICS, Mobile).</summary>
    public static readonly IReadOnlySet<string> Sources = new HashSet<string>(StringComparer.Ordinal) { "mitre-attack", "mitre-ics-attack", "mitre-mobile-attack" };

    const int SnippetRadius = 60;

    [GeneratedRegex(@"\b(?:TA\d{4}|T\d{4}(?:\.\d{3})?|G\d{4}|S\d{4})\b", RegexOptions.CultureInvariant)]
    private static partial Regex Id();

    /// <summary>Each ATT&amp;CK id the object names, with where (the first place it is named).</summary>
    public static IReadOnlyList<(string Id, string Evidence)> Named(JsonObject stix)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in References(stix))
        {
            if (r.ExternalId is { } id && Id().Match(id) is { Success: true } m && m.Length == id.Length)
            {
                found.TryAdd(id, $"external_references: {r.Source} {id}");
            }
        }
        foreach (var property in (ReadOnlySpan<string>)["name", "description"])
        {
            if (stix[property] is JsonValue v && v.TryGetValue(out string? text))
            {
                foreach (Match m in Id().Matches(text))
                {
                    found.TryAdd(m.Value, $"{property}: \"{Snippet(text, m.Index, m.Length)}\"");
                }
            }
        }
        return [.. found.Select(f => (f.Key, f.Value))];
    }

    /// <summary>Whether the object is ATT&amp;CK's own (of any id), or, with <paramref name="id"/>, ATT&amp;CK's object of that id.</summary>
    public static bool IsAttackObject(JsonObject stix, string? id = null) =>
        stix.Any(p => p.Key.StartsWith("x_mitre_", StringComparison.Ordinal))
        && References(stix).Any(r => Sources.Contains(r.Source ?? "") && r.ExternalId is not null && (id is null || r.ExternalId == id));

    static IEnumerable<(string? Source, string? ExternalId)> References(JsonObject stix) =>
        stix["external_references"] is JsonArray refs
            ? refs.OfType<JsonObject>().Select(r => (Text(r, "source_name"), Text(r, "external_id")))
            : [];

    static string? Text(JsonObject o, string property) => o[property] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    static string Snippet(string text, int index, int length)
    {
        var start = Math.Max(0, index - SnippetRadius);
        var end = Math.Min(text.Length, index + length + SnippetRadius);
        return (start > 0 ? "…" : "") + text[start..end].ReplaceLineEndings(" ") + (end < text.Length ? "…" : "");
    }
}
