using System.Text.Json.Nodes;

namespace ThreatGraph.Stix.Markings;

/// <summary>What an object's markings mean for access (README "Who sees what", "Markings fail closed").</summary>
/// <param name="Tlp">The strictest TLP level the markings give; null when they carry none (the reporter's default applies).</param>
/// <param name="ReporterOnly">A marking could not be interpreted: the object is visible to the reporting organisation only
/// (unless <paramref name="Tlp"/> is RED, which is stricter still), and named recipients are ignored.</param>
/// <param name="Warnings">Why (path → message), for the ingest answer.</param>
public sealed record MarkingReading(TlpLevel? Tlp, bool ReporterOnly, IReadOnlyList<(string Path, string Message)> Warnings);

/// <summary>How a marking-definition the service knows is to be read, by its <c>definition_type</c>.</summary>
public enum MarkingDefinitionKind { Statement, Other }

/// <summary>
/// Reads an object's <c>object_marking_refs</c> and <c>granular_markings</c> as access rules, failing closed:
/// <list type="bullet">
/// <item>TLP 2.0 ids → their level; the TLP 1.0 ids of STIX 2.1 §7.2.1.4 → the TLP 2.0 equivalent (WHITE → CLEAR).</item>
/// <item>A statement marking (a known marking-definition with <c>definition_type: statement</c>, such as ATT&amp;CK's
/// copyright) says nothing about access: without a TLP marking beside it, the reporter's default TLP applies, as for
/// an unmarked object (no warning: ATT&amp;CK marks every object so).</item>
/// <item>Anything else — an unknown id, a custom definition (even one that claims to be TLP), an extension-defined
/// marking — cannot be interpreted: the object is visible to its reporting organisation only.</item>
/// <item>Granular markings are applied to the whole object (its strictest marking wins).</item>
/// </list>
/// Pure: the caller says which non-TLP marking-definitions it knows (<paramref name="known"/>).
/// </summary>
public static class MarkingInterpreter
{
    public static MarkingReading Read(JsonObject obj, Func<string, MarkingDefinitionKind?> known)
    {
        var warnings = new List<(string, string)>();
        var refs = new List<(string Path, string Ref)>();
        if (obj["object_marking_refs"] is JsonArray objectRefs)
        {
            for (var i = 0; i < objectRefs.Count; i++)
            {
                if (objectRefs[i] is JsonValue v && v.TryGetValue(out string? r))
                {
                    refs.Add(($"object_marking_refs[{i}]", r));
                }
            }
        }
        if (obj["granular_markings"] is JsonArray granular)
        {
            var any = false;
            for (var i = 0; i < granular.Count; i++)
            {
                if (granular[i] is JsonObject g && g["marking_ref"] is JsonValue v && v.TryGetValue(out string? r))
                {
                    refs.Add(($"granular_markings[{i}].marking_ref", r));
                    any = true;
                }
            }
            if (any)
            {
                warnings.Add(("granular_markings", "granular markings are applied to the whole object: its strictest marking decides who sees it"));
            }
        }

        TlpLevel? tlp = null;
        var reporterOnly = false;
        foreach (var (path, r) in refs)
        {
            if (Tlp.AnyVersionById.TryGetValue(r, out var level))
            {
                tlp = tlp is null || level > tlp ? level : tlp;
            }
            else if (known(r) == MarkingDefinitionKind.Statement)
            {
                continue;
            }
            else
            {
                reporterOnly = true;
                warnings.Add((path, $"marking '{r}' is not a TLP 1.0/2.0 marking or a known statement marking: the object is visible to the reporting organisation only"));
            }
        }
        return new MarkingReading(tlp, reporterOnly, warnings);
    }

    /// <summary>How a marking-definition object is to be read (null when <paramref name="obj"/> is not one).</summary>
    public static MarkingDefinitionKind? KindOf(JsonObject obj) =>
        obj["type"] is JsonValue t && t.TryGetValue(out string? type) && type == "marking-definition"
            ? obj["definition_type"] is JsonValue d && d.TryGetValue(out string? dt) && dt == "statement"
              && obj["definition"] is JsonObject def && def["statement"] is JsonValue
                ? MarkingDefinitionKind.Statement
                : MarkingDefinitionKind.Other
            : null;
}
