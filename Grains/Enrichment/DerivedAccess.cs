using System.Text.Json.Nodes;
using ThreatGraph.Contracts.Model;
using ThreatGraph.Contracts.Security;
using ThreatGraph.Stix;
using ThreatGraph.Stix.Markings;

namespace ThreatGraph.Grains.Enrichment;

/// <summary>
/// The access floor of what a job derives: never weaker than any object it was derived from or points at (the input,
/// and the objects its references name, whose content it may quote: an alias match quotes both names). The strictest
/// TLP among them (or the derived object's own, when stricter) becomes its TLP marking, their other markings are kept,
/// and their readers stay its readers: the reporting member and named recipients of a RED source, the reporting
/// organisation and named recipients of an AMBER one.
/// </summary>
public static class DerivedAccess
{
    /// <summary>The objects the derived object points at (besides markings and its creator): the sources of its floor.</summary>
    public static IEnumerable<string> ReferencedIds(JsonObject derived)
    {
        var obj = new StixObject(derived);
        var refs = obj.EmbeddedRefs().Where(r => r.Property != "created_by_ref").Select(r => r.TargetId);
        return obj.Kind == StixKind.Relationship
            ? refs.Concat([obj.GetString("source_ref"), obj.GetString("target_ref")]).OfType<string>()
            : refs;
    }

    public static void Apply(JsonObject derived, IReadOnlyList<NodeView> sources)
    {
        var own = Strings(derived, "object_marking_refs").ToList();
        var accesses = sources.Select(s => s.Access).OfType<AccessDescriptor>().ToList();
        var tlp = accesses.Select(a => a.Tlp).Append(Tlp.Strictest(own) ?? TlpLevel.Clear).Max();
        var markings = own.Concat(sources.SelectMany(s => s.Markings)).Where(m => !Tlp.AnyVersionById.ContainsKey(m))
            .Append(TlpId(tlp)).Distinct(StringComparer.Ordinal).ToList();
        derived["object_marking_refs"] = new JsonArray([.. markings.Select(m => (JsonNode)JsonValue.Create(m))]);

        var recipients = Strings(derived, AccessDescriptor.RecipientsProperty)
            .Concat(accesses.SelectMany(a => a.Tlp switch
            {
                TlpLevel.Red => a.Recipients.Append(a.OwnerMember),
                TlpLevel.Amber or TlpLevel.AmberStrict => a.Recipients.Append(a.OwnerOrg),
                _ => a.Recipients,
            }))
            .Distinct(StringComparer.Ordinal).ToList();
        if (tlp >= TlpLevel.Amber && recipients.Count > 0)
        {
            derived[AccessDescriptor.RecipientsProperty] = new JsonArray([.. recipients.Select(r => (JsonNode)JsonValue.Create(r))]);
        }
    }

    static string TlpId(TlpLevel level) => level switch
    {
        TlpLevel.Clear => Tlp.ClearId,
        TlpLevel.Green => Tlp.GreenId,
        TlpLevel.Amber => Tlp.AmberId,
        TlpLevel.AmberStrict => Tlp.AmberStrictId,
        _ => Tlp.RedId,
    };

    static IEnumerable<string> Strings(JsonObject obj, string property) =>
        obj[property] is JsonArray a ? a.OfType<JsonValue>().Select(v => v.TryGetValue(out string? s) ? s : null).OfType<string>() : [];
}
